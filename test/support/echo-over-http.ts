/** One blocking SendMessage to a running stack's echo agent over plain HTTP: the answer's task state. */
export async function echoTaskState(baseUrl: string, token: string, messageId: string, text: string) {
  const res = await fetch(`${baseUrl}/agents/echo`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'a2a-version': '1.0' },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'SendMessage',
      params: { message: { messageId, role: 'ROLE_USER', parts: [{ text }] } },
    }),
  });
  const body = (await res.json()) as { result?: { task?: { status?: { state?: string } } } };
  return body.result?.task?.status?.state;
}
