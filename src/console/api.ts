/** The history API's answers as the console reads them (src/adapters/http/historyApi.ts serves them). */
import type { Alert, Vital } from "../core/model.js";
import type { AckInfo } from "../adapters/ws/messages.js";
import type { Bucket } from "../adapters/sqlite/readingHistory.js";
import type { ClinicalEntry, News2Point } from "../adapters/sqlite/alarmHistory.js";

export type { Bucket, ClinicalEntry, News2Point };

export interface BucketAnswer {
  readonly since: number;
  readonly until: number;
  readonly step: number;
  readonly buckets: readonly Bucket[];
}

export interface AlarmAnswer {
  readonly alarms: readonly { readonly alert: Alert; readonly ack?: AckInfo }[];
  readonly entries: readonly ClinicalEntry[];
  readonly news2: readonly News2Point[];
}

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
