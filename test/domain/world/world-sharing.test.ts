import t from 'tap'
import { DEFAULT_WORLD } from '../../../src/domain/world/default-world.js'
import { worldFromSeed, worldToSeed } from '../../../src/domain/world/seed.js'
import { World, type Share } from '../../../src/domain/world/world.js'
import { idOf, SHARES, SPACES } from '../../helpers/world.js'

const T0 = Date.UTC(2026, 0, 1)
const templateOf = () => World.template(worldFromSeed(DEFAULT_WORLD, T0))

t.test('a shared world reads its template until its first change, which copies; the template and the others never change', async (t) => {
  const template = templateOf()
  const before = JSON.stringify(worldToSeed(template))
  const a = World.sharing(template)
  const b = World.sharing(template)
  t.equal(a.files, template.files, 'reading costs no copy')
  t.ok(a.isShared)
  const space = template.spaces.get(SPACES.ann)
  a.addFile({ fileId: 'Fnew', containerId: SPACES.ann, parentId: 'root', name: 'new.txt', type: 'file', size: 100, recycled: false, editedAtMs: T0 })
  t.notOk(a.isShared, 'a changed: it has its own copies')
  t.not(a.files, template.files)
  t.equal(a.spaces.get(SPACES.ann)?.usedBytes, (space?.usedBytes ?? 0) + 100, 'its space is charged')
  t.equal(template.spaces.get(SPACES.ann)?.usedBytes, space?.usedBytes, "the template's is not")
  t.equal(b.files.get('Fnew'), undefined, 'b does not see it')
  t.ok(b.isShared)
  t.equal(JSON.stringify(worldToSeed(template)), before, 'the template is as built')
  t.same(a.childrenOf(SPACES.ann, 'root').map((file) => file.name).includes('new.txt'), true)
  t.same(b.childrenOf(SPACES.ann, 'root').map((file) => file.name).includes('new.txt'), false, "b's folder listing is the template's")
})

t.test("a share read before the world's first change is still the one changed (lenient mode holds it across the copy)", async (t) => {
  const template = templateOf()
  const world = World.sharing(template)
  const held = world.shares.get(SHARES.contracts.shareId) as Share
  const fileIds = [...held.fileIds]
  world.makeFile({ fileId: 'Fmade', containerId: held.containerId, parentId: 'root', name: 'made.txt', type: 'file', size: 1, recycled: false, editedAtMs: T0 })
  world.addToShare(held, 'Fmade')
  t.same(world.shares.get(held.shareId)?.fileIds, [...fileIds, 'Fmade'], "the world's own share has it")
  t.same(template.shares.get(held.shareId)?.fileIds, fileIds, "the template's does not")
})

t.test('a change that bypassed the copy throws instead of reaching every world made from the template', async (t) => {
  const template = templateOf()
  const world = World.sharing(template)
  t.throws(() => {
    ;(world.spaces.get(SPACES.ann) as { usedBytes: number }).usedBytes = 0
  }, TypeError)
  t.throws(() => {
    ;(world.files.get(idOf('Budget.xlsx')) as { recycled: boolean }).recycled = true
  }, TypeError)
  t.throws(() => world.users.get('ann')?.tokens.push('stolen'), TypeError)
  t.throws(() => world.shares.get(SHARES.contracts.shareId)?.fileIds.push('F'), TypeError)
  world.own()
  ;(world.spaces.get(SPACES.ann) as { usedBytes: number }).usedBytes = 0
  t.equal(world.spaces.get(SPACES.ann)?.usedBytes, 0, 'once owned, its spaces are its own')
  t.not(template.spaces.get(SPACES.ann)?.usedBytes, 0)
})

t.test('a template holds seeded entries only', async (t) => {
  const world = worldFromSeed(DEFAULT_WORLD, T0)
  world.makeUser({ userId: 'made', name: 'made', tokens: [] })
  t.throws(() => World.template(world), { message: 'a world template holds seeded entries only' })
  const pinned = worldFromSeed(DEFAULT_WORLD, T0)
  pinned.pin([`f:${idOf('Budget.xlsx')}`])
  t.throws(() => World.template(pinned), { message: 'a world template holds seeded entries only' })
})
