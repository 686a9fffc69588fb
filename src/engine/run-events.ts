// The engine's events are the phases' own; the lifecycle and its adapters name them from here too.
export { ignoreEvents, type RunEvent, type RunObserver } from '../phases/events.ts';
