// The case engine's "why" (app/engine.go, backend/engine): level reasons and every clock replayed now.
import * as EngineSvc from '../../wailsjs/go/app/Engine';

export interface ClockStatus {
  id: string;
  started_at: string;
  due_at: string;
  stopped_at?: string;
  state: string;
  percent: number;
  holidays: number;
  weekends: number;
  why: string;
}

export interface ClockView {
  id: string;
  label_zh: string;
  label_en: string;
  source: string;
  confidence?: string;
  unit: string;
  amount: number;
  status: ClockStatus;
}

export interface Explanation {
  case_id: number;
  classification: { type: string; subtype: string; level: number; level_reasons: string[] | null; flags: { name?: string; flag?: string }[] | null };
  level: number;
  level_why: string;
  clocks: ClockView[] | null;
}

export const engine = {
  explain: async (caseId: number): Promise<Explanation> => (await EngineSvc.Explain(caseId)) as unknown as Explanation,
};
