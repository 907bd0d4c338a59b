// Notifications (issue 20): stored for the interface, mailed where the person wants them.
export * from './notify.ts';
