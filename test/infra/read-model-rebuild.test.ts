import { beforeAll, describe, expect, it } from 'vitest';
import type { LedgerStack } from '../../infra/stacks/ledger-stack.js';
import type { REBUILD_MODULES } from '../../infra/workflows/rebuild-read-models.js';
import { actionsOf, type CfnResourceJson, definitionOf, identityPolicies, logicalIdOf, statementsOfRole, SYNTH_TIMEOUT, synthesize, taskTargets } from './support.js';

// The read-model rebuild as deployed (infra/constructs/read-model-rebuild.ts): the blue and green tables, the switch
// by context, the state machine an operator starts, and the only grants in the stack to Scan.

let blue: { stack: LedgerStack; resources: Record<string, CfnResourceJson> };
let green: { stack: LedgerStack; resources: Record<string, CfnResourceJson> };

beforeAll(() => {
  blue = synthesize({ stack: { web: false } });
  green = synthesize({ stack: { web: false }, context: { 'ledger:readModels': 'green' } });
}, SYNTH_TIMEOUT * 2);

const ofType = (resources: Record<string, CfnResourceJson>, type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const tableIds = ({ stack }: typeof blue) => ({ blue: logicalIdOf(stack, stack.tables.readModelTables.blue), green: logicalIdOf(stack, stack.tables.readModelTables.green) });
const roleOf = (resources: Record<string, CfnResourceJson>, fnId: string) => (resources[fnId]!.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
const rebuildFunctionIds = ({ stack }: typeof blue) =>
  Object.fromEntries(Object.entries(stack.rebuild.functions).map(([step, fn]) => [step, logicalIdOf(stack, fn.handler)])) as Record<keyof typeof REBUILD_MODULES, string>;

describe('blue and green read-model tables', () => {
  it('declares both with the read models key schema, backed up and retained; blue keeps the first table', () => {
    const ids = tableIds(blue);
    expect(ids.blue).toMatch(/^TablesReadModels[0-9A-F]{8}$/);
    for (const id of Object.values(ids)) {
      const table = blue.resources[id]!;
      expect(table.Properties.KeySchema).toEqual([
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ]);
      expect(table.DeletionPolicy).toBe('Retain');
      expect(table.Properties.Replicas[0].PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
      expect(table.Properties.Replicas[0].DeletionProtectionEnabled).toBe(true);
    }
  });

  it.each([
    ['blue', () => blue],
    ['green', () => green],
  ] as const)('served from %s: every function of the ledger reads and writes that table only', (colour, synthesized) => {
    const s = synthesized();
    const ids = tableIds(s);
    const idle = colour === 'blue' ? ids.green : ids.blue;
    expect(s.stack.tables.activeReadModels).toBe(colour);
    const rebuild = new Set(Object.values(rebuildFunctionIds(s)));
    const functions = ofType(s.resources, 'AWS::Lambda::Function').filter(
      ([id, fn]) => String(fn.Properties.Description ?? '').startsWith('certification-ledger ') && !rebuild.has(id),
    );
    expect(functions.length).toBeGreaterThan(50);
    for (const [id, fn] of functions) {
      expect(fn.Properties.Environment.Variables.READ_MODELS_TABLE, id).toEqual({ Ref: ids[colour] });
      expect(JSON.stringify(statementsOfRole(s.resources, roleOf(s.resources, id))), id).not.toContain(idle);
    }
    // The Streams projector writes the served table.
    const projector = logicalIdOf(s.stack, s.stack.functions.get('projections/project-change-feed').role);
    expect(JSON.stringify(statementsOfRole(s.resources, projector))).toContain(ids[colour]);
  });

  it('the switch leaves the sign-in records where they are: one table, the same in blue and green, which no rebuild function may touch', () => {
    const signIns = (s: typeof blue) => logicalIdOf(s.stack, s.stack.tables.signIns);
    expect(signIns(green)).toBe(signIns(blue));
    for (const s of [blue, green]) {
      const ids = tableIds(s);
      expect([ids.blue, ids.green]).not.toContain(signIns(s));
      const rebuild = Object.values(rebuildFunctionIds(s));
      for (const [id, fn] of ofType(s.resources, 'AWS::Lambda::Function').filter(([, fn]) => String(fn.Properties.Description ?? '').startsWith('certification-ledger '))) {
        const statements = JSON.stringify(statementsOfRole(s.resources, roleOf(s.resources, id)));
        if (rebuild.includes(id)) expect(statements, id).not.toContain(signIns(s));
        else expect(fn.Properties.Environment.Variables.SIGN_INS_TABLE, id).toEqual({ Ref: signIns(s) });
      }
    }
    // Whichever colour is served, each function keeps the same grants on the sign-in records.
    const grantsOn = (s: typeof blue) =>
      Object.fromEntries(
        [...s.stack.functions.all()].map(([module, fn]) => [
          module,
          actionsOf(statementsOfRole(s.resources, logicalIdOf(s.stack, fn.role)).filter((st) => JSON.stringify(st.Resource).includes(`"${signIns(s)}"`))).sort(),
        ]),
      );
    expect(grantsOn(green)).toEqual(grantsOn(blue));
    expect(Object.values(grantsOn(blue)).filter((a) => a.length > 0).length).toBeGreaterThan(40);
  });

  it(
    'refuses a context value that names neither',
    () => {
      expect(() => synthesize({ stack: { web: false }, context: { 'ledger:readModels': 'purple' } })).toThrow(/ledger:readModels must be "blue" or "green"/);
    },
    SYNTH_TIMEOUT,
  );
});

describe('the rebuild state machine', () => {
  it('is Standard, logged and traced, its Tasks the three rebuild functions, its segments Distributed Maps', () => {
    const machine = blue.resources[logicalIdOf(blue.stack, blue.stack.rebuild.stateMachine)]!;
    expect(machine.Properties).toMatchObject({
      StateMachineName: `${blue.stack.stackName}-rebuild-read-models`,
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      // Without execution data: the cursors name certificate streams (`certificate#<code>`).
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false },
    });
    const asl = definitionOf(machine);
    const fns = rebuildFunctionIds(blue);
    expect(taskTargets(asl)).toEqual({
      PlanRebuild: `<<${fns.plan}>>`,
      ClearPages: `<<${fns.clear}>>`,
      ReplayDocumentPages: `<<${fns.project}>>`,
      ReplayFollowerPages: `<<${fns.project}>>`,
    });
    const maps = Object.entries(asl.States).filter(([, s]) => s.Type === 'Map');
    expect(maps.map(([name]) => name).sort()).toEqual(['ClearTarget', 'ReplayDocuments', 'ReplayFollowers']);
    for (const [, map] of maps) {
      expect((map as unknown as { ItemProcessor: { ProcessorConfig: unknown } }).ItemProcessor.ProcessorConfig).toEqual({ Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' });
      expect((map as unknown as { ItemsPath: string }).ItemsPath).toBe('$.plan.segments');
    }
    // The followers (statistics rollups) after the documents, and the clearing only before a rebuild.
    expect((asl.States.ReplayDocuments as unknown as { Next: string }).Next).toBe('ReplayFollowers');
    expect(asl.States.EmptyTargetFirst).toMatchObject({ Choices: [{ Variable: '$.plan.clear', BooleanEquals: true, Next: 'ClearTarget' }], Default: 'ReplayDocuments' });
  });

  it('the replay and the clearing run up to 15 minutes, handing their cursor on before; their environment names both tables and the served one', () => {
    const fns = rebuildFunctionIds(blue);
    const ids = tableIds(blue);
    expect(blue.resources[fns.project]!.Properties.Timeout).toBe(900);
    expect(blue.resources[fns.clear]!.Properties.Timeout).toBe(900);
    for (const id of Object.values(fns)) {
      expect(blue.resources[id]!.Properties.Environment.Variables).toMatchObject({
        EVENTS_TABLE: { Ref: logicalIdOf(blue.stack, blue.stack.tables.events) },
        READ_MODELS_TABLE: { Ref: ids.blue },
        READ_MODELS_BLUE_TABLE: { Ref: ids.blue },
        READ_MODELS_GREEN_TABLE: { Ref: ids.green },
      });
    }
    expect(green.resources[rebuildFunctionIds(green).plan]!.Properties.Environment.Variables.READ_MODELS_TABLE).toEqual({ Ref: tableIds(green).green });
  });

  it('its role invokes the three rebuild functions and nothing else of the ledger; no function may start it', () => {
    const machine = blue.stack.rebuild.stateMachine;
    const statements = statementsOfRole(blue.resources, logicalIdOf(blue.stack, machine.role));
    const invoked = statements.filter((s) => actionsOf([s]).includes('lambda:InvokeFunction'));
    const fns = new Set(Object.values(rebuildFunctionIds(blue)));
    const targets = JSON.stringify(invoked.map((s) => s.Resource));
    for (const id of fns) expect(targets).toContain(id);
    const otherFunctions = ofType(blue.resources, 'AWS::Lambda::Function').filter(([id]) => !fns.has(id));
    for (const [id] of otherFunctions) expect(targets).not.toContain(`"${id}"`);
    const machineId = logicalIdOf(blue.stack, machine);
    for (const policy of identityPolicies(blue.resources)) {
      if (policy.roles.includes(logicalIdOf(blue.stack, machine.role))) continue;
      const starts = policy.statements.filter((s) => actionsOf([s]).includes('states:StartExecution'));
      expect(JSON.stringify(starts), policy.roles.join()).not.toContain(machineId);
      expect(JSON.stringify(starts), policy.roles.join()).not.toContain('rebuild-read-models');
    }
  });
});

describe('least privilege: the only Scans in the stack', () => {
  it('only the replay may Scan the events table; only the clearing may Scan and batch-delete the read-model tables; the plan touches no table', () => {
    const fns = rebuildFunctionIds(blue);
    const events = logicalIdOf(blue.stack, blue.stack.tables.events);
    const ids = tableIds(blue);
    const scanners = new Map<string, string[]>();
    for (const policy of identityPolicies(blue.resources)) {
      for (const statement of policy.statements) {
        const actions = actionsOf([statement]);
        if (!actions.some((a) => a === 'dynamodb:Scan' || a === 'dynamodb:*' || a === '*')) continue;
        for (const role of policy.roles) scanners.set(role, [...(scanners.get(role) ?? []), JSON.stringify(statement.Resource)]);
      }
    }
    expect([...scanners.keys()].sort()).toEqual([roleOf(blue.resources, fns.clear), roleOf(blue.resources, fns.project)].sort());
    const projectScans = scanners.get(roleOf(blue.resources, fns.project))!.join();
    expect(projectScans).toContain(events);
    expect(projectScans).not.toContain(ids.blue);
    expect(projectScans).not.toContain(ids.green);
    const clearScans = scanners.get(roleOf(blue.resources, fns.clear))!.join();
    expect(clearScans).not.toContain(events);
    expect(clearScans).toContain(ids.blue);
    expect(clearScans).toContain(ids.green);

    const project = actionsOf(statementsOfRole(blue.resources, roleOf(blue.resources, fns.project))).filter((a) => a.startsWith('dynamodb:'));
    expect(new Set(project)).toEqual(new Set(['dynamodb:Scan', 'dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:BatchWriteItem']));
    const projectEvents = statementsOfRole(blue.resources, roleOf(blue.resources, fns.project)).filter((s) => JSON.stringify(s.Resource).includes(events));
    expect(actionsOf(projectEvents)).not.toContain('dynamodb:PutItem');
    expect(actionsOf(projectEvents)).not.toContain('dynamodb:BatchWriteItem');
    const clear = actionsOf(statementsOfRole(blue.resources, roleOf(blue.resources, fns.clear))).filter((a) => a.startsWith('dynamodb:'));
    expect(new Set(clear)).toEqual(new Set(['dynamodb:Scan', 'dynamodb:BatchWriteItem']));
    expect(actionsOf(statementsOfRole(blue.resources, roleOf(blue.resources, fns.plan))).filter((a) => a.startsWith('dynamodb:'))).toEqual([]);
  });

  it('keeps the stack under its resource cap', () => {
    const count = Object.keys(blue.resources).length;
    console.log(`resources (without the pages): ${count}`);
    expect(count).toBeLessThan(450);
  });
});
