/**
 * Reads from moto's REST-JSON APIs (API Gateway v2, Lambda) with plain fetch: the project has no
 * SDK client for them. moto routes a request by the service in the SigV4 credential scope and
 * does not check the signature, so a fixed Authorization header is enough.
 */

export async function motoJson<T>(
  endpoint: string,
  service: 'apigateway' | 'lambda',
  path: string,
): Promise<T> {
  const res = await fetch(`${endpoint}${path}`, {
    headers: {
      authorization: `AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`,
    },
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`moto ${service} GET ${path}: ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

export interface MotoHttpApi {
  apiId: string;
  name: string;
  protocolType: string;
}

export interface MotoRoute {
  routeKey: string;
  authorizationType?: string;
  authorizerId?: string;
  target?: string;
}

/** GET /v2/apis/{id}/{collection} → its items */
export async function httpApiItems<T>(endpoint: string, apiId: string, collection: string): Promise<T[]> {
  return (await motoJson<{ items: T[] }>(endpoint, 'apigateway', `/v2/apis/${apiId}/${collection}`)).items;
}
