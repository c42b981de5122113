/**
 * The page's run-time registration check (suite.ts `registration`), shared
 * by the webgl and webgpu suites: the throwaway definition is found under
 * all its names, runs on the GPU backend's own programs within its budget
 * against cpu, and works as a layers activation id.
 */
import {suite, type Session} from './harness';

export async function expectRegisteredInPage(session: Session, backend: string): Promise<void> {
  const r = await suite<{
    names: string[];
    listed: boolean;
    compiled: number;
    worst: number[];
    budget: {forward: number; backward: number};
    layer: {config: string; same: boolean};
    backend: string;
  }>(session, 'registration');
  expect(r.names).toEqual(['throwawayParabola', 'throwawayParabola', 'throwawayParabola']);
  expect(r.listed).toBe(true);
  expect(r.compiled).toBeGreaterThan(0);
  expect(r.worst[0]).toBeLessThanOrEqual(r.budget.forward);
  expect(Math.max(r.worst[1], r.worst[2])).toBeLessThanOrEqual(r.budget.backward);
  expect(r.layer).toEqual({config: 'throwawayParabola', same: true}); // an alias answers as the canonical id
  expect(r.backend).toBe(backend);
}
