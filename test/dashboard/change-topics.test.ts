import t from 'tap'
import { changesOf } from '../../src/dashboard/change-topics.js'

t.test('an emulated request changes the journal, the fault counters and maybe the world; creating and cancelling the tasks too', async (t) => {
  t.strictSame(changesOf('/koodrive/ose/v1/share/taskDetail', 'getShareTaskDetail', 200), ['requests', 'faults', 'world'])
  t.strictSame(changesOf('/koodrive/ose/v1/share/tasks', 'createShareTask', 400), ['requests', 'faults', 'world', 'tasks'], 'whatever its status: it is journaled')
  t.strictSame(changesOf('/koodrive/ose/v1/cancel', 'cancelJob', 0), ['requests', 'faults', 'world', 'tasks'], 'unanswered (a connection fault) too')
  t.strictSame(changesOf('/obs/koodrive-share/x', 'downloadObject', 200), ['requests', 'faults', 'world'])
  t.strictSame(changesOf('/favicon.ico', 'notFound', 404), ['requests', 'faults', 'world'])
})

t.test('an admin call changes what it acts on, when it succeeds; reads and refusals change nothing', async (t) => {
  t.strictSame(changesOf('/__admin/reset', 'reset', 200), ['tasks', 'requests', 'faults', 'world', 'clock'])
  t.strictSame(changesOf('/__admin/clock', 'advanceClock', 200), ['clock', 'tasks', 'world'])
  t.strictSame(changesOf('/__admin/tasks/1', 'actOnTask', 200), ['tasks', 'world'])
  t.strictSame(changesOf('/__admin/faults', 'addFault', 201), ['faults'])
  t.strictSame(changesOf('/__admin/faults/x', 'removeFault', 200), ['faults'])
  t.strictSame(changesOf('/__admin/world', 'replaceWorld', 200), ['world', 'tasks'])
  t.strictSame(changesOf('/__admin/requests', 'clearRequests', 200), ['requests'])
  t.strictSame(changesOf('/__admin/faults', 'addFault', 400), [], 'a refused rule changed nothing')
  t.strictSame(changesOf('/__admin/tasks', 'listTasks', 200), [], 'a read')
  t.strictSame(changesOf('/__admin/events', 'streamEvents', 200), [])
})
