// A client connection of a session: the endpoint in the client role (sockspec testing a server).
export { Endpoint as Conn, sleep } from './endpoint';
export type { EndpointOptions as ConnOptions } from './endpoint';
