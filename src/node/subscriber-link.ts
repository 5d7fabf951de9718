// A connection in subscriber mode: it carries only SUBSCRIBE-family commands, which take no reply
// slot (their answers, and the messages, arrive as push frames; under RESP2 the pub/sub frame
// classifier claims them). Opened with the client's reconnect policy; the pub/sub layer above
// keeps the subscription table and makes a new link after a drop.
import type { Connection } from '../connection/index.js';
import { ClientClosedError } from '../errors.js';
import type { RespValue } from '../resp/types.js';
import type { Command } from '../runner/command.js';
import type { NodeOptions } from './node.js';

export interface SubscriberLinkHandlers {
  /** Decode frames' strings as Buffers. */
  readonly buffers: boolean;
  /** Claims the RESP2 replies that are pub/sub frames (under RESP3 they come as pushes anyway). */
  readonly isFrame: (value: RespValue) => boolean;
  readonly onFrame: (data: RespValue[]) => void;
  /** The link ended; `error` says why when it was not destroy(). */
  readonly onClose: (link: SubscriberLink, error: Error | undefined) => void;
}

export interface SubscriberLink {
  readonly open: boolean;
  /** Writes a SUBSCRIBE-family command; resolves once written (its answer comes as a frame). */
  write(command: Command): Promise<void>;
  destroy(): void;
}

export async function openSubscriberLink(
  options: NodeOptions,
  open: () => Promise<Connection>,
  handlers: SubscriberLinkHandlers,
  closed: () => boolean,
): Promise<SubscriberLink> {
  const conn = await options.reconnect.callWithRetry(
    () => {
      if (closed()) throw new ClientClosedError('the client is closed');
      return open();
    },
    () => undefined,
  );
  if (closed()) {
    conn.destroy();
    throw new ClientClosedError('the client is closed');
  }
  conn.pushReturnBuffers = handlers.buffers;
  conn.pushClassifier = handlers.isFrame;
  conn.on('push', handlers.onFrame);
  const link: SubscriberLink = {
    get open() {
      return conn.status === 'open';
    },
    write: (command) => conn.send(command.info.name, command.args, { noReply: true }).then(() => undefined),
    destroy: () => conn.destroy(),
  };
  conn.once('close', (error) => handlers.onClose(link, error));
  return link;
}
