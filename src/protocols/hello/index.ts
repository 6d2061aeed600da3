// hello: one request, one fixed reply, close.
import type { LessonProtocol } from '../types';
import { helloDefaults, helloVariant, type HelloSettings } from './settings';
import { learnHello } from './learn';
import { framedRobustClauses } from '../kit/framed-clauses';
import { startHelloServer } from './server';
import { startHelloCourse, startHelloFramedCourse } from './variants';
import { reply } from './cases/reply';
import { nextClient } from './cases/next-client';
import { invalidUtf8 } from './cases/invalid-utf8';
import { oversize } from './cases/oversize';
import { silentClient } from './cases/silent-client';
import { reset } from './cases/reset';
import { splitHeader } from './cases/split-header';
import { probeServing } from './session';
import { clientClauses } from '../kit/client-clauses';
import { helloPlay } from './client-cases/play';

export const hello: LessonProtocol<HelloSettings> = {
  name: 'hello',
  title: 'hello server: one request, one fixed reply, close',
  profiles: ['lesson', 'framed'],
  defaults: helloDefaults,
  variant: helloVariant,
  learn: learnHello,
  clientClauses: clientClauses(helloPlay),
  clauses: [
    reply,
    nextClient,
    invalidUtf8,
    oversize,
    silentClient,
    reset,
    splitHeader,
    ...framedRobustClauses({ protocol: 'hello', greeting: () => null }),
  ],
  builtins: [
    {
      name: 'hello-reference',
      protocol: 'hello',
      profiles: ['lesson', 'framed'],
      faithful: false,
      description: 'reference hello server (replies, closes its side, drains the request)',
      expectedFailures: {},
      start: startHelloServer,
    },
    {
      name: 'hello-course',
      protocol: 'hello',
      profiles: ['lesson'],
      faithful: true,
      description: "the course's hello server: recv(1024), strict decode, sendall, close",
      expectedFailures: { lesson: { 'hello.invalid-utf8': 'crash', 'hello.oversize': 'reset', 'hello.reset': 'crash' } },
      start: startHelloCourse,
    },
    {
      name: 'hello-framed-course',
      protocol: 'hello',
      profiles: ['framed'],
      faithful: true,
      description: 'framed hello written the course way: one recv(4) for the header, one recv(n) for the body',
      expectedFailures: {
        framed: { 'hello.framed.split-header': 'crash', 'hello.framed.negative-length': 'crash', 'hello.reset': 'crash' },
      },
      start: startHelloFramedCourse,
    },
  ],
  probe: probeServing,
};
