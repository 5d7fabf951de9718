// Fails the run early, with the install hint, when a server or CLI binary the suite needs is missing.
import { cliBinary, serverBinary } from './binaries.js';

export default function setup(): void {
  serverBinary('redis');
  serverBinary('valkey');
  cliBinary('redis');
  cliBinary('valkey');
}
