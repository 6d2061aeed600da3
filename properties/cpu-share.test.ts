// What makes a busy loop, on a loaded machine: a spinner sharing one core with three others
// (and with whatever else the machine runs: 0.14 of a core was seen beside the suite) is one; a server that wakes up every millisecond to do a little (a correct server fed many
// paced segments) is not, however long its wake-ups wait in the run queue.
import t from 'tap';
import { cpuUseOf, shareOf, spinsAt, type CpuUse } from '../src/harness/proc';
import { onCore0, started } from './helpers';

t.test('a spinner among spinners spins; a server waking every millisecond among them does not', async (t) => {
  const spinners = [0, 1, 2].map(() => onCore0('print("up", flush=True)\nwhile True: pass'));
  const waker = onCore0('import time\nprint("up", flush=True)\nwhile True:\n  time.sleep(0.001)\n  sum(range(200))');
  const all = [...spinners, waker];
  t.teardown(() => {
    for (const p of all) p.kill('SIGKILL');
  });
  await Promise.all(all.map(started));
  const pids = all.map((p) => p.pid!);
  const before = pids.map((pid) => cpuUseOf([pid]));
  const w0 = Date.now();
  await new Promise((r) => setTimeout(r, 1500)); // a measured window, not synchronisation
  const wall = (Date.now() - w0) / 1000;
  const share = pids.map((pid, i) => shareOf(before[i], cpuUseOf([pid]), wall));
  const word = (s: CpuUse) => `run ${s.run.toFixed(2)}, demand ${s.demand.toFixed(2)}, preempted ${s.switches?.preempts}, blocked ${s.switches?.blocks}`;
  t.ok(spinsAt(share[0]), `a spinner sharing one core with three others: ${word(share[0])}`);
  t.notOk(spinsAt(share[3]), `a server that wakes every millisecond: ${word(share[3])}`);
  // How their time on the CPU ended, which is what tells them apart under a fair share of a CPU.
  t.ok(share[0].switches!.preempts >= 2 * share[0].switches!.blocks, `the spinner is preempted, it never blocks: ${word(share[0])}`);
  t.ok(share[3].switches!.blocks > 2 * share[3].switches!.preempts, `the waker blocks after each wake-up: ${word(share[3])}`);
});

t.test('the rule itself, at the shares seen on a loaded machine', async (t) => {
  // Measured: a spinner with six others on its core (four spinners beside the suite's files).
  t.ok(spinsAt({ run: 0.14, demand: 1.0 }), 'a spinner given a seventh of a core spins');
  // Seen once: the spinner above, beside a fresh clone's whole suite.
  t.ok(spinsAt({ run: 0.08, demand: 1.02 }), 'a spinner given a twelfth of a core spins');
  // A server blocked in recv whose many wake-ups wait in a long run queue: it runs a few
  // hundredths (the waker above ran 0.01 to 0.03), with the demand a very long queue would give.
  t.notOk(spinsAt({ run: 0.03, demand: 0.9 }), 'a waker that mostly waits to run does not');
  t.notOk(spinsAt({ run: 0.5, demand: 0.4 }), 'nor does a server that asks for less than half a CPU');
  // Seen once (bot-styles beside the whole suite, a load of 10 on two cores): a correct forking
  // bot called a busy loop after a session of paced segments; its shares were not kept, these
  // are of the kind its child's fork and wake-ups give. A process that blocks after each
  // wake-up is no spinner, whatever its shares.
  t.notOk(spinsAt({ run: 0.09, demand: 0.8, switches: { blocks: 30, preempts: 8 } }), 'a loaded server that blocks after each wake-up does not');
  t.ok(spinsAt({ run: 0.09, demand: 0.95, switches: { blocks: 12, preempts: 140 } }), 'a spinner given a tenth of a core, preempted at each slice, spins (even after blocking at its first messages)');
  t.ok(spinsAt({ run: 0.9, demand: 1.0, switches: { blocks: 20, preempts: 5 } }), 'a spinner with a core of its own is not preempted, and spins');
  t.ok(spinsAt({ run: 0.09, demand: 0.95 }), 'where the kernel counts no switches, the shares decide alone');
});
