import { LocalClock, parseClockSetting } from '../../functions/local/local-clock.js';
import { systemClock } from '../../functions/ports/clock.js';
import { twinClock } from '../../functions/twin/twin-clock.js';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { systemClockContract, virtualClockContract } from './clock.contract.js';

systemClockContract('the ports’ systemClock (Lambda)', () => systemClock);
systemClockContract('npm start, LEDGER_CLOCK=system', () => new LocalClock(parseClockSetting('system'), tmpdir()));
systemClockContract('the twin, LEDGER_CLOCK=system', () => {
  const clock = twinClock('system', join(tmpdir(), 'unused-clock.json'));
  return { now: () => clock.now().toISOString() };
});

// npm start's clock, moved as POST /_local/clock moves it (without timers to walk through).
virtualClockContract('npm start (LocalClock)', (start, dir) => {
  const clock = new LocalClock(parseClockSetting(`virtual:${start}`), dir);
  return { clock, move: (instant) => clock.moveTo(new Date(instant).toISOString()) };
});

// The twin's clock, checked and set as its POST /_local/clock does (local-controls.ts, twin.ts advance).
virtualClockContract('the twin (twinClock)', (start, dir) => {
  const clock = twinClock(`virtual:${start}`, join(dir, 'virtual-clock.json'));
  return {
    clock: { now: () => clock.now().toISOString() },
    move: async (instant) => {
      clock.check(new Date(instant));
      clock.set(new Date(instant));
    },
  };
});
