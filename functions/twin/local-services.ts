import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

/**
 * The AWS services no package emulates for the twin, reduced to the operations a stack's functions call:
 * Step Functions (start and describe an execution; the run itself is the twin's, bound later to
 * aws-local-stepfunctions), EventBridge Scheduler (one-time schedules, kept in a file so a restart keeps
 * them) and SES (each message appended to an outbox file).
 */

/** An error in the service's own terms: the gateway renders it in the service's protocol. */
export class ServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

// ---------- Step Functions ----------

export const sfnRequests = {
  StartExecution: z.object({
    stateMachineArn: z.string(),
    name: z
      .string()
      .regex(/^[\w.~-]{1,80}$/)
      .optional(),
    input: z.string().default('{}'),
  }),
  DescribeExecution: z.object({ executionArn: z.string() }),
} as const;
export type SfnOperation = keyof typeof sfnRequests;

export interface Execution {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  input: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  startDate: number;
  stopDate?: number;
  output?: string;
  error?: string;
  cause?: string;
}

/** Runs an execution; resolves with its output, rejects with its error. */
export type ExecutionRunner = (execution: Execution) => Promise<unknown>;

export class LocalStepFunctions {
  readonly executions = new Map<string, Execution>();

  constructor(
    private readonly stateMachineArns: readonly string[],
    private readonly run: ExecutionRunner,
  ) {}

  handle(operation: SfnOperation, body: unknown): Record<string, unknown> {
    switch (operation) {
      case 'StartExecution': {
        const input = sfnRequests.StartExecution.parse(body);
        if (!this.stateMachineArns.includes(input.stateMachineArn)) throw new ServiceError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${input.stateMachineArn}'`);
        const name = input.name ?? randomUUID();
        const executionArn = `${input.stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
        const existing = this.executions.get(executionArn);
        if (existing) {
          // Standard workflows: the same name and input while running is the same start; anything else collides.
          if (existing.status === 'RUNNING' && existing.input === input.input) return { executionArn, startDate: existing.startDate };
          throw new ServiceError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
        }
        const execution: Execution = { executionArn, stateMachineArn: input.stateMachineArn, name, input: input.input, status: 'RUNNING', startDate: Date.now() / 1000 };
        this.executions.set(executionArn, execution);
        this.run(execution).then(
          (output) => Object.assign(execution, { status: 'SUCCEEDED', stopDate: Date.now() / 1000, output: JSON.stringify(output ?? null) }),
          (e: unknown) =>
            Object.assign(execution, { status: 'FAILED', stopDate: Date.now() / 1000, error: (e as Error)?.name ?? 'Error', cause: (e as Error)?.message ?? String(e) }),
        );
        return { executionArn, startDate: execution.startDate };
      }
      case 'DescribeExecution': {
        const { executionArn } = sfnRequests.DescribeExecution.parse(body);
        const execution = this.executions.get(executionArn);
        if (!execution) throw new ServiceError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
        return { ...execution };
      }
    }
  }
}

// ---------- EventBridge Scheduler ----------

export const scheduleSchema = z.object({
  GroupName: z.string().default('default'),
  ScheduleExpression: z.string(),
  ScheduleExpressionTimezone: z.string().optional(),
  FlexibleTimeWindow: z.object({ Mode: z.string(), MaximumWindowInMinutes: z.number().optional() }),
  Target: z.object({ Arn: z.string(), RoleArn: z.string(), Input: z.string().optional() }).loose(),
  ActionAfterCompletion: z.enum(['NONE', 'DELETE']).optional(),
  State: z.enum(['ENABLED', 'DISABLED']).default('ENABLED'),
  Description: z.string().optional(),
  ClientToken: z.string().optional(),
});

/** A schedule as kept; `At` is when an `at(…)` expression fires (ISO), absent for rate/cron (not fired by the twin). */
const storedSchedule = scheduleSchema.extend({ Name: z.string(), Arn: z.string(), At: z.string().optional() });
export type Schedule = z.infer<typeof storedSchedule>;

export class TwinScheduler {
  private readonly schedules = new Map<string, Schedule>();

  constructor(
    private readonly region: string,
    private readonly account: string,
    private readonly file?: string,
  ) {
    if (file && existsSync(file)) {
      for (const s of z.array(storedSchedule).parse(JSON.parse(readFileSync(file, 'utf8')))) this.schedules.set(s.Arn, s);
    }
  }

  arnOf(group: string, name: string) {
    return `arn:aws:scheduler:${this.region}:${this.account}:schedule/${group}/${name}`;
  }

  private save() {
    if (!this.file) return;
    mkdirSync(dirname(this.file), { recursive: true });
    writeFileSync(this.file, JSON.stringify([...this.schedules.values()], null, 1));
  }

  list(): Schedule[] {
    return [...this.schedules.values()];
  }

  create(name: string, body: unknown, replace: boolean): { ScheduleArn: string } {
    const input = scheduleSchema.parse(body);
    const arn = this.arnOf(input.GroupName, name);
    if (!replace && this.schedules.has(arn)) throw new ServiceError('ConflictException', `Schedule ${name} already exists.`, 409);
    if (replace && !this.schedules.has(arn)) throw new ServiceError('ResourceNotFoundException', `Schedule ${name} does not exist.`, 404);
    const at = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/.exec(input.ScheduleExpression)?.[1];
    this.schedules.set(arn, { ...input, Name: name, Arn: arn, ...(at ? { At: `${at}Z` } : {}) });
    this.save();
    return { ScheduleArn: arn };
  }

  get(group: string, name: string): Schedule {
    const s = this.schedules.get(this.arnOf(group, name));
    if (!s) throw new ServiceError('ResourceNotFoundException', `Schedule ${name} does not exist.`, 404);
    return s;
  }

  delete(group: string, name: string): Record<string, never> {
    const arn = this.arnOf(group, name);
    if (!this.schedules.delete(arn)) throw new ServiceError('ResourceNotFoundException', `Schedule ${name} does not exist.`, 404);
    this.save();
    return {};
  }
}

// ---------- SES v2 ----------

export const sendEmailSchema = z
  .object({
    FromEmailAddress: z.string().optional(),
    Destination: z.object({ ToAddresses: z.array(z.string()).optional(), CcAddresses: z.array(z.string()).optional(), BccAddresses: z.array(z.string()).optional() }).optional(),
    Content: z.object({}).loose(),
  })
  .loose();

/** The address in `Name <address>` or a bare address. */
export const addressOf = (from: string) => /<([^>]+)>/.exec(from)?.[1] ?? from.trim();

export class LocalSes {
  constructor(private readonly outbox: string) {}

  send(body: unknown, caller: string): { MessageId: string } {
    const input = sendEmailSchema.parse(body);
    if (!input.FromEmailAddress) throw new ServiceError('BadRequestException', 'FromEmailAddress is required');
    const MessageId = randomUUID();
    mkdirSync(dirname(this.outbox), { recursive: true });
    appendFileSync(this.outbox, `${JSON.stringify({ MessageId, at: new Date().toISOString(), caller, ...input })}\n`);
    return { MessageId };
  }
}
