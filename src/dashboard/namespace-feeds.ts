import type { Namespace } from '../namespaces/namespace.js'
import type { NamespaceRegistry } from '../namespaces/registry.js'
import type { ChangeTopic } from '../../schemas/dashboard.js'
import { ChangeFeed } from './change-feed.js'

/**
 * One change feed per namespace with a page open on it: a page hears only its own namespace's
 * changes. A feed goes when its namespace does (its pages see their stream end and reconnect to a
 * fresh namespace), and all of them when the server closes.
 */
export class NamespaceFeeds {
  readonly #feeds = new Map<Namespace, ChangeFeed>()

  constructor(registry: NamespaceRegistry) {
    registry.onDrop((namespace) => {
      this.#feeds.get(namespace)?.close()
      this.#feeds.delete(namespace)
    })
  }

  /** The feed of `namespace`, made when its first page subscribes. */
  of(namespace: Namespace): ChangeFeed {
    let feed = this.#feeds.get(namespace)
    if (feed === undefined) {
      feed = new ChangeFeed()
      this.#feeds.set(namespace, feed)
    }
    return feed
  }

  /** The feed of `namespace` if a page ever subscribed to it: publishing to no one costs a lookup. */
  find(namespace: Namespace): ChangeFeed | undefined {
    return this.#feeds.get(namespace)
  }

  /** Tells every open page, whatever its namespace (a change made for all of them: the seed file reloaded). */
  publishToAll(topics: readonly ChangeTopic[]): void {
    for (const feed of this.#feeds.values()) feed.publish(topics)
  }

  close(): void {
    for (const feed of this.#feeds.values()) feed.close()
  }
}
