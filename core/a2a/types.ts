/** Types derived from the schemas, plus the gateway's stored shapes. */
import type { Static } from '@sinclair/typebox';
import type * as S from './schemas';
import type { TaskState } from './task-state';

export type Part = Static<typeof S.PartSchema>;
export type Role = Static<typeof S.RoleSchema>;
export type Message = Static<typeof S.MessageSchema>;
export type Artifact = Static<typeof S.ArtifactSchema>;
export type TaskStatus = Static<typeof S.TaskStatusSchema> & { state: TaskState };
export type Task = Static<typeof S.TaskSchema>;
export type TaskStatusUpdateEvent = Static<typeof S.TaskStatusUpdateEventSchema>;
export type TaskArtifactUpdateEvent = Static<typeof S.TaskArtifactUpdateEventSchema>;
export type AuthenticationInfo = Static<typeof S.AuthenticationInfoSchema>;
export type TaskPushNotificationConfig = Static<typeof S.TaskPushNotificationConfigSchema>;
export type InlinePushConfig = Static<typeof S.InlinePushConfigSchema>;
export type SendMessageConfiguration = Static<typeof S.SendMessageConfigurationSchema>;
export type SendMessageRequest = Static<typeof S.SendMessageRequestSchema>;
export type GetTaskRequest = Static<typeof S.GetTaskRequestSchema>;
export type ListTasksRequest = Static<typeof S.ListTasksRequestSchema>;
export type CancelTaskRequest = Static<typeof S.CancelTaskRequestSchema>;
export type SubscribeToTaskRequest = Static<typeof S.SubscribeToTaskRequestSchema>;
export type TaskPushConfigRef = Static<typeof S.TaskPushConfigRefSchema>;
export type ListTaskPushConfigsRequest = Static<typeof S.ListTaskPushConfigsRequestSchema>;

/** Exactly one member: the wire shape of SSE events, push bodies and SendMessage results. */
export type StreamResponse =
  | { task: Task }
  | { message: Message }
  | { statusUpdate: TaskStatusUpdateEvent }
  | { artifactUpdate: TaskArtifactUpdateEvent };

export type SendMessageResponse = { task: Task } | { message: Message };

export interface ListTasksResponse {
  tasks: Task[];
  nextPageToken: string;
  pageSize: number;
  totalSize: number;
}

export interface ListTaskPushConfigsResponse {
  configs: TaskPushNotificationConfig[];
  nextPageToken: string;
}
