/** Reading the history API (src/adapters/http/historyApi.ts, which defines the answers). */
import type { Vital } from "../core/model.js";

export type { AlarmsAnswer, BucketsAnswer } from "../adapters/http/historyApi.js";
export type { Bucket } from "../adapters/sqlite/readingHistory.js";
export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export async function getJson<T>(fetcher: typeof fetch, path: string): Promise<T> {
  const res = await fetcher(path, { credentials: "same-origin" });
  if (!res.ok) throw new ApiError(res.status, `${path}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

export const bucketsPath = (patientId: string, since: number, until: number, step: number, vital?: Vital): string =>
  `/api/patients/${encodeURIComponent(patientId)}/readings?since=${since}&until=${until}&step=${step}${vital ? `&vital=${vital}` : ""}`;

export const alarmsPath = (patientId: string, since: number): string => `/api/patients/${encodeURIComponent(patientId)}/alarms?since=${since}`;
