/** The people of the console's workspace; the demo config names them in its policy. */
export interface Person {
  readonly id: string;
  readonly name: string;
  readonly realName: string;
  /** What "Acting as" calls them. */
  readonly role: 'requester' | 'approver' | 'bystander';
}

export const REQUESTER: Person = {
  id: 'U0ALICE0001',
  name: 'alice',
  realName: 'Alice Requester',
  role: 'requester',
};
export const APPROVER: Person = {
  id: 'U0BOB000001',
  name: 'bob',
  realName: 'Bob Approver',
  role: 'approver',
};
export const BYSTANDER: Person = {
  id: 'U0CAROL0001',
  name: 'carol',
  realName: 'Carol Bystander',
  role: 'bystander',
};
export const PEOPLE: readonly Person[] = [REQUESTER, APPROVER, BYSTANDER];

export const CHANNEL = { id: 'C0VERIFY001', name: 'pc-verify' } as const;

export function personById(id: string): Person | undefined {
  return PEOPLE.find((p) => p.id === id);
}
