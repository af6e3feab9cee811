import { Aws, Fn } from 'aws-cdk-lib';

/**
 * The last 12 hex digits of the stack's id (`arn:…:stack/<name>/<uuid>`), resolved at deploy time: CloudFormation
 * draws a new UUID each time the stack is created. A retained resource that must have a name (a log group under
 * /aws/vendedlogs, a schedule group) carries it, so a stack created again after `cdk destroy` does not collide
 * with what the previous one left behind; within one stack's life the name never changes.
 */
export const stackInstanceSuffix = (): string => Fn.select(4, Fn.split('-', Fn.select(2, Fn.split('/', Aws.STACK_ID))));
