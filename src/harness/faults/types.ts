// A fault: one way TCP (or a careless client) can deliver bytes. Each lives in its own file.
export interface Fault {
  name: string;
  description: string;
}
