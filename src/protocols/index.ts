// The one registry of protocols: adding a protocol is a folder and a line here.
import { auth } from './auth';
import { bot } from './bot';
import { hello } from './hello';
import { upload } from './upload';
import type { BuiltinServer, Protocol } from './types';

export const PROTOCOLS: readonly Protocol[] = [hello, bot, upload, auth];

export function findProtocol(name: string): Protocol | undefined {
  return PROTOCOLS.find((p) => p.name === name);
}

export function allBuiltins(): BuiltinServer[] {
  return PROTOCOLS.flatMap((p) => p.builtins);
}

export function findBuiltin(name: string): BuiltinServer | undefined {
  return allBuiltins().find((b) => b.name === name);
}
