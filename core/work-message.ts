/** The body of a work-queue message: which task to run, as of which event. */
import { Type } from '@sinclair/typebox';
import { compileValidator } from './validation/validator';

export const WorkMessageSchema = Type.Object({
  v: Type.Literal(1),
  tenant: Type.String({ minLength: 1, maxLength: 256 }),
  taskId: Type.String({ minLength: 1, maxLength: 256 }),
  /** the task version when the work was enqueued */
  seq: Type.Integer({ minimum: 0 }),
});
export interface WorkMessage {
  v: 1;
  tenant: string;
  taskId: string;
  seq: number;
}

const validator = compileValidator(WorkMessageSchema);

/** Throws InvalidParamsError for a body that is not a work message. */
export function parseWorkMessage(body: string): WorkMessage {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return validator.parse(undefined, 'body');
  }
  return validator.parse(json, 'body');
}

export const TRACEPARENT_ATTRIBUTE = 'traceparent';
