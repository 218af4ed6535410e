// Public API of the notifications domain.
export { notifyUser, type NewNotification } from "./service";
