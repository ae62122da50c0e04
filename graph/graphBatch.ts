/**
 * JSON batching: up to 20 Graph requests in one HTTP round trip (POST /$batch). Opening a review for
 * fifty agencies would otherwise cost a request per person. Each step answers on its own, so a step
 * Graph throttles (429, 503, 504) is sent again in the next batch after the wait it asks for, while
 * the others keep their answers.
 * https://learn.microsoft.com/graph/json-batching
 */
import type { Client } from '@microsoft/microsoft-graph-client';
import { z } from 'zod';
import { GraphCallError } from './graphCallError';
import { callError } from './graphCallError';

/** Graph's limit on the requests in one batch. */
export const batchLimit = 20;

export interface BatchStep {
  id: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Relative to the version root, e.g. "/users?$filter=…". */
  url: string;
  body?: unknown;
}

export interface BatchAnswer {
  id: string;
  status: number;
  body: unknown;
}

const batchResponseSchema = z.object({
  responses: z.array(
    z.object({
      id: z.string(),
      status: z.number(),
      headers: z.record(z.string(), z.string()).nullish(),
      body: z.unknown().optional(),
    }),
  ),
});

const RETRIED = new Set([429, 503, 504]);

export interface BatchOptions {
  /** How many times a throttled step is sent again. Default 3. */
  retries?: number;
  /** Multiplies Retry-After waits (tests pass 0). Default 1. */
  delayScale?: number;
}

/** Sends the steps in batches of twenty; answers keyed by step id. */
export async function sendBatch(
  client: Client,
  operation: string,
  steps: readonly BatchStep[],
  options: BatchOptions = {},
): Promise<Map<string, BatchAnswer>> {
  const answers = new Map<string, BatchAnswer>();
  let waiting = [...steps];
  const retries = options.retries ?? 3;
  const scale = options.delayScale ?? 1;
  for (let round = 0; waiting.length > 0; round += 1) {
    const throttled: BatchStep[] = [];
    let waitSeconds = 0;
    for (let offset = 0; offset < waiting.length; offset += batchLimit) {
      const chunk = waiting.slice(offset, offset + batchLimit);
      let raw: unknown;
      try {
        raw = await client.api('/$batch').post({
          requests: chunk.map((step) => ({
            id: step.id,
            method: step.method,
            url: step.url,
            ...(step.body === undefined
              ? {}
              : { body: step.body, headers: { 'Content-Type': 'application/json' } }),
          })),
        });
      } catch (error) {
        throw callError(operation, error);
      }
      const parsed = batchResponseSchema.safeParse(raw);
      if (!parsed.success) throw new GraphCallError(operation, 200, 'UnexpectedResponseShape');
      const byId = new Map(chunk.map((step) => [step.id, step]));
      for (const response of parsed.data.responses) {
        const step = byId.get(response.id);
        if (!step) continue;
        if (RETRIED.has(response.status) && round < retries) {
          throttled.push(step);
          const header = Object.entries(response.headers ?? {}).find(
            ([name]) => name.toLowerCase() === 'retry-after',
          )?.[1];
          const seconds = Number(header);
          waitSeconds = Math.max(waitSeconds, Number.isFinite(seconds) ? Math.min(seconds, 60) : 2 ** round);
          continue;
        }
        answers.set(step.id, { id: step.id, status: response.status, body: response.body });
      }
      for (const step of chunk) {
        if (!answers.has(step.id) && !throttled.includes(step)) {
          answers.set(step.id, { id: step.id, status: 500, body: { error: { code: 'NotAnswered' } } });
        }
      }
    }
    waiting = throttled;
    if (waiting.length > 0 && waitSeconds * scale > 0) {
      await new Promise((resolve) => setTimeout(resolve, waitSeconds * scale * 1000));
    }
  }
  return answers;
}

/** The Graph error code inside a step's answer, for messages and logs (never the body itself). */
export function stepErrorCode(answer: BatchAnswer): string {
  const body = answer.body;
  if (typeof body === 'object' && body !== null && 'error' in body) {
    const error = (body as { error?: unknown }).error;
    if (
      typeof error === 'object' &&
      error !== null &&
      typeof (error as { code?: unknown }).code === 'string'
    ) {
      return (error as { code: string }).code;
    }
  }
  return `HTTP${answer.status}`;
}
