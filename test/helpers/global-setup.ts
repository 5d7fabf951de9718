// Fails the run early, with the install hint, when a server binary the suite needs is missing.
import { serverBinary } from './binaries.js';

export default function setup(): void {
  serverBinary('redis');
  serverBinary('valkey');
}
