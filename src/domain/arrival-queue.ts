/**
 * Items in the order they arrived, oldest first. The oldest goes in O(1) (amortised), and one a few
 * places from the front goes by moving up the few older ones. An array with a moving head, not a
 * Map: iterating a Map from its front skips, one by one, the holes its deletions leave there until
 * it rehashes (tens of thousands with 100 000 entries), which made each eviction slow.
 */
export class ArrivalQueue<T> {
  #items: (T | undefined)[] = []
  #head = 0

  get length(): number {
    return this.#items.length - this.#head
  }

  push(item: T): void {
    this.#items.push(item)
  }

  /** The item `offset` places after the oldest (0: the oldest); the caller keeps `offset` below `length`. */
  at(offset: number): T {
    return this.#items[this.#head + offset] as T
  }

  /** Takes out the item `offset` places after the oldest; the older ones move up into its place. */
  removeAt(offset: number): T {
    const items = this.#items
    const head = this.#head
    const item = items[head + offset] as T
    items.copyWithin(head + 1, head, head + offset)
    items[head] = undefined
    this.#head = head + 1
    // Drop the spent front now and then: amortised O(1), and never more than twice the items held.
    if (this.#head >= 1024 && this.#head * 2 >= items.length) {
      this.#items = items.slice(this.#head)
      this.#head = 0
    }
    return item
  }

  /** Takes out the newest item (the caller keeps `length` above 0): how an addition is taken back. */
  pop(): T {
    return this.#items.pop() as T
  }

  clear(): void {
    this.#items = []
    this.#head = 0
  }
}
