// The one registry of protocols: adding a protocol is a folder and a line here.
import { auth } from './auth';
import { bot } from './bot';
import { hello } from './hello';
import { upload } from './upload';
import { DEFAULT_SETTINGS, type BuiltinServer, type LessonProtocol, type Protocol, type Settings } from './types';

export const PROTOCOLS: readonly LessonProtocol[] = [hello, bot, upload, auth];

export function findProtocol(name: string): LessonProtocol | undefined {
  return PROTOCOLS.find((p) => p.name === name);
}

export function allBuiltins(): BuiltinServer[] {
  return PROTOCOLS.flatMap((p) => p.builtins);
}

/** A protocol's reference server: its one built-in that is not lesson-faithful. */
export function referenceServer(protocol: Protocol): BuiltinServer {
  const ref = protocol.builtins.find((b) => !b.faithful);
  if (!ref) throw new Error(`${protocol.name} has no reference server`);
  return ref;
}

export function findBuiltin(name: string): BuiltinServer | undefined {
  return allBuiltins().find((b) => b.name === name);
}

/** How a target prepares a server's working directory for `protocol` under `settings` (auth: the users file). */
export function prepareDirFor(protocol: Protocol, settings: Settings = DEFAULT_SETTINGS): ((dir: string) => void) | undefined {
  const prepare = protocol.prepareDir;
  return prepare && ((dir) => prepare(dir, settings));
}
