// A FIFO queue with O(1) push/shift (array + head index, compacted as it drains), used for the
// commands waiting to be written and those waiting for their reply. Invariant: items leave in the
// order they entered; remove() of an arbitrary item is O(n) but only used for cancellation.
export class Fifo<T> {
  private items: (T | undefined)[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  peek(): T | undefined {
    return this.items[this.head];
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head += 1;
    // Compact once the consumed prefix dominates, so memory follows the live length.
    if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  /** Removes one item (by identity); true when it was present. */
  remove(item: T): boolean {
    const index = this.items.indexOf(item, this.head);
    if (index === -1) return false;
    this.items.splice(index, 1);
    return true;
  }

  /** Empties the queue and returns what it held, oldest first. */
  drain(): T[] {
    const out = this.items.slice(this.head) as T[];
    this.items = [];
    this.head = 0;
    return out;
  }

  *[Symbol.iterator](): IterableIterator<T> {
    for (let i = this.head; i < this.items.length; i++) yield this.items[i] as T;
  }
}
