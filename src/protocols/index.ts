// The one registry of protocols: adding a protocol is a folder and a line here.
import { auth } from './auth';
import { bot } from './bot';
import { hello } from './hello';
import { upload } from './upload';
import type { BuiltinServer, LessonProtocol, Protocol } from './types';

/** Each protocol over its own settings: shared code treats them as opaque (or as the protocol's defaults). */
export const PROTOCOLS: readonly LessonProtocol<any>[] = [hello, bot, upload, auth];

export function findProtocol(name: string): LessonProtocol<any> | undefined {
  return PROTOCOLS.find((p) => p.name === name);
}

export function allBuiltins(): BuiltinServer<any>[] {
  return PROTOCOLS.flatMap((p) => p.builtins);
}

/** A protocol's reference server: its one built-in that is not lesson-faithful. */
export function referenceServer<S>(protocol: Protocol<S>): BuiltinServer<S> {
  const ref = protocol.builtins.find((b) => !b.faithful);
  if (!ref) throw new Error(`${protocol.name} has no reference server`);
  return ref;
}

export function findBuiltin(name: string): BuiltinServer<any> | undefined {
  return allBuiltins().find((b) => b.name === name);
}

/** How a target prepares a server's working directory for `protocol` under `settings` (auth: the users file); the protocol's defaults when none are given. */
export function prepareDirFor<S>(protocol: LessonProtocol<S>, settings: S = protocol.defaults): ((dir: string) => void) | undefined {
  const prepare = protocol.prepareDir;
  return prepare && ((dir) => prepare(dir, settings));
}
