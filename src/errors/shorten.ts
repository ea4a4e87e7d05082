/** Most characters of a user's value that a message echoes: a hostile file must not flood the terminal. */
const ECHO_LIMIT = 100;

/** `text` as is when short, else its first characters and how long it really was. */
export function shorten(text: string, limit = ECHO_LIMIT): string {
  return text.length <= limit ? text : `${text.slice(0, limit)}… (${text.length} characters)`;
}
