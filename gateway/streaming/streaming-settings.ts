/** How this process serves SSE streams. Absent from GatewayDeps = streaming methods answer -32004. */
export interface StreamingSettings {
  /** interval of `: ping` comments on an open stream */
  heartbeatMs: number;
  /** open streams this process holds at most (beyond: HTTP 503) */
  maxStreamsPerProcess: number;
  /** open streams one tenant holds at most in this process (beyond: HTTP 429) */
  maxStreamsPerTenant: number;
  /**
   * a stream ends after this long (0 = never); in Lambda it must end before the function times
   * out, and the client resumes with Last-Event-ID
   */
  maxDurationMs: number;
  /** how long a new task's first frame waits to learn whether the agent replies with a Message */
  directReplyWaitMs: number;
}

export const DEFAULT_STREAMING_SETTINGS: Readonly<StreamingSettings> = Object.freeze({
  heartbeatMs: 15_000,
  maxStreamsPerProcess: 1_000,
  maxStreamsPerTenant: 100,
  maxDurationMs: 0,
  directReplyWaitMs: 1_500,
});
