// Types for block-kit.js, which the page loads as it is (no build) and the tests import in Node.

export function escapeHtml(text: unknown): string;
export function mrkdwn(text: unknown, people?: Readonly<Record<string, string>>): string;
export function textObject(object: unknown, people?: Readonly<Record<string, string>>): string;
export function button(element: unknown, messageTs: string): string;
export function block(b: unknown, messageTs: string, people?: Readonly<Record<string, string>>): string;
export function messageBody(
  message: {
    readonly ts: string;
    readonly text?: string;
    readonly blocks?: readonly unknown[];
    readonly files?: readonly {
      readonly title: string;
      readonly mimetype: string;
      readonly url_private: string;
    }[];
  },
  people?: Readonly<Record<string, string>>,
): string;
