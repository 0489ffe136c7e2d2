import type { Seed } from '../../schemas/seed.js'
import { worldFromSeed } from '../domain/world/seed.js'
import { World } from '../domain/world/world.js'
import { DEFAULT_NAMESPACE } from './namespace-name.js'
import { makeNamespace, type Namespace, type NamespaceTemplate } from './namespace.js'

/**
 * The namespaces of one server, made on first use and bounded by MOCK_MAX_NAMESPACES: past it the
 * least recently used goes (never `default`). The Map's order is the recency order: a use moves a
 * namespace to the end, so the first one that is not `default` is the one to drop.
 */
export class NamespaceRegistry {
  readonly #namespaces = new Map<string, Namespace>()
  readonly #dropListeners: ((namespace: Namespace) => void)[] = []
  #default: Namespace

  constructor(
    readonly template: NamespaceTemplate,
    /** MOCK_MAX_NAMESPACES, `default` included. */
    readonly max: number,
    private readonly wallClock: () => number = Date.now,
  ) {
    this.#default = this.#make(DEFAULT_NAMESPACE)
  }

  /** The namespace of requests that name none. Never dropped (dropping it starts it afresh). */
  get default(): Namespace {
    return this.#default
  }

  get size(): number {
    return this.#namespaces.size
  }

  /** The namespace called `name`, made from the template when it does not exist; it becomes the most recently used. */
  use(name: string): Namespace {
    const nowMs = this.wallClock()
    if (name === DEFAULT_NAMESPACE) {
      // Never a candidate for dropping, so its place in the order does not matter: no reordering on the hot path.
      this.#default.lastUsedAtMs = nowMs
      return this.#default
    }
    const found = this.#namespaces.get(name)
    if (found !== undefined) {
      this.#namespaces.delete(name)
      this.#namespaces.set(name, found)
      found.lastUsedAtMs = nowMs
      return found
    }
    if (this.#namespaces.size >= this.max) this.#dropLeastRecentlyUsed()
    return this.#make(name)
  }

  /** The namespace called `name` if it exists, without making it or counting a use. */
  find(name: string): Namespace | undefined {
    return this.#namespaces.get(name)
  }

  /** Every namespace, `default` first, then the rest by name. */
  list(): Namespace[] {
    const others = [...this.#namespaces.values()].filter((namespace) => namespace !== this.#default)
    return [this.#default, ...others.sort((a, b) => a.name.localeCompare(b.name, 'en'))]
  }

  /** Drops `name` and everything in it; `default` is made afresh instead. False when there is no such namespace. */
  drop(name: string): boolean {
    const namespace = this.#namespaces.get(name)
    if (namespace === undefined) return false
    this.#namespaces.delete(name)
    for (const listener of this.#dropListeners) listener(namespace)
    if (name === DEFAULT_NAMESPACE) this.#default = this.#make(DEFAULT_NAMESPACE)
    return true
  }

  /**
   * A new seed for the whole server (a seed file that reloaded): new namespaces are made from it,
   * and every existing one goes back to it, as a reset would. Built first, so a seed the world
   * refuses changes nothing.
   */
  replaceSeed(seed: Seed, nowMs: number): void {
    const worldTemplate = World.template(worldFromSeed(seed, nowMs))
    this.template.seed = seed
    this.template.worldTemplate = worldTemplate
    for (const namespace of this.#namespaces.values()) namespace.emulator.reset(seed, worldTemplate)
  }

  /** Where every namespace's download URLs point from now on (set once the server knows its port). */
  pointDownloadsAt(objectsUrl: string): void {
    this.template.objectsUrl = objectsUrl
    for (const namespace of this.#namespaces.values()) namespace.emulator.presigner.objectsUrl = objectsUrl
  }

  /** Told of every namespace that goes (dropped, or pushed out by MOCK_MAX_NAMESPACES), after it is gone. */
  onDrop(listener: (namespace: Namespace) => void): void {
    this.#dropListeners.push(listener)
  }

  #dropLeastRecentlyUsed(): void {
    // default is in the order once at most; with MOCK_MAX_NAMESPACES ≥ 2 another is always behind it.
    const names = this.#namespaces.keys()
    const first = names.next().value as string
    this.drop(first === DEFAULT_NAMESPACE ? (names.next().value as string) : first)
  }

  #make(name: string): Namespace {
    const namespace = makeNamespace(name, this.template, this.wallClock())
    this.#namespaces.set(name, namespace)
    return namespace
  }
}
