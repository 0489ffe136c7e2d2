// One-click fault rules: the README's "Injecting failures" examples, each under a fixed id so the
// page can tell whether it is on and remove it again.
export const PRESETS = [
  { label: 'Slow network', rule: { id: 'slow-network', latencyMs: [200, 800] }, what: 'every emulated request takes 200–800 ms' },
  { label: 'Flaky 10 %', rule: { id: 'flaky-10', probability: 0.1, error: 13000201 }, what: '10 % of emulated requests fail with 13000201' },
  {
    label: 'Throttled',
    rule: { id: 'throttle', operation: 'getShareTaskDetail', every: 3, error: 'APIGW.0308', retryAfterS: 2 },
    what: 'every third taskDetail gets 429 APIGW.0308 with Retry-After: 2',
  },
  {
    label: 'Partial dump',
    rule: { id: 'partial-dump', operation: 'createShareTask', match: { taskType: 2 }, task: { outcome: 'partial' } },
    what: 'new dumps end partly failed: every second file fails',
  },
  {
    label: 'Stuck zip',
    rule: { id: 'stuck-zip', operation: 'createShareTask', match: { taskType: 1 }, task: { outcome: 'stuck' } },
    what: 'new package downloads stay processing at 99 % for ever',
  },
]
