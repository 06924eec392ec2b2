/**
 * Toasts: short messages in a corner. Errors carry the server's own message and stay until
 * dismissed; other toasts leave after a few seconds. A toast may show progress (long jobs).
 */
import { useSyncExternalStore } from 'react';
import { ApiError } from '../lib/api-client';
import { IconClose } from './icons';
import './toasts.css';

export type ToastKind = 'info' | 'success' | 'error';

export interface Toast {
  id: number;
  kind: ToastKind;
  message: string;
  detail?: string;
  /** 0..1 while a job runs; undefined for none. */
  progress?: number;
  action?: { label: string; onClick: () => void };
}

let toasts: Toast[] = [];
let nextId = 1;
const listeners = new Set<() => void>();
const timers = new Map<number, ReturnType<typeof setTimeout>>();

function emit() {
  for (const listener of listeners) listener();
}

function schedule(id: number, kind: ToastKind) {
  clearTimeout(timers.get(id));
  if (kind === 'error') return;
  timers.set(
    id,
    setTimeout(() => dismissToast(id), 5000),
  );
}

export function showToast(
  kind: ToastKind,
  message: string,
  options: { detail?: string; progress?: number; action?: Toast['action'] } = {},
) {
  const toast: Toast = { id: nextId++, kind, message, ...options };
  toasts = [...toasts.slice(-4), toast];
  if (options.progress === undefined) schedule(toast.id, kind);
  emit();
  return toast.id;
}

export function updateToast(id: number, patch: Partial<Omit<Toast, 'id'>>) {
  toasts = toasts.map((t) => (t.id === id ? { ...t, ...patch } : t));
  const toast = toasts.find((t) => t.id === id);
  if (toast && patch.progress === undefined && 'progress' in patch) schedule(id, toast.kind);
  else if (toast && patch.kind) schedule(id, toast.kind);
  emit();
}

export function dismissToast(id: number) {
  clearTimeout(timers.get(id));
  timers.delete(id);
  toasts = toasts.filter((t) => t.id !== id);
  emit();
}

/** The message a person should read for any error: the server's own when there is one. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

export function toastError(error: unknown, prefix?: string) {
  const message = errorMessage(error);
  return showToast('error', prefix ? `${prefix}: ${message}` : message);
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function Toasts() {
  const items = useSyncExternalStore(subscribe, () => toasts);
  return (
    <section className="toasts" aria-label="Notifications">
      {items.map((toast) => (
        <div
          key={toast.id}
          className={`toast toast--${toast.kind}`}
          role={toast.kind === 'error' ? 'alert' : 'status'}
          data-testid="toast"
        >
          <div className="toast__body">
            <div className="toast__message">{toast.message}</div>
            {toast.detail && <div className="toast__detail">{toast.detail}</div>}
            {toast.progress !== undefined && (
              <progress className="progress" value={toast.progress} max={1} aria-label={toast.message} />
            )}
          </div>
          {toast.action && (
            <button
              type="button"
              className="button button--small"
              onClick={() => {
                dismissToast(toast.id);
                toast.action?.onClick();
              }}
            >
              {toast.action.label}
            </button>
          )}
          <button
            type="button"
            className="icon-button"
            aria-label="Dismiss notification"
            onClick={() => dismissToast(toast.id)}
          >
            <IconClose />
          </button>
        </div>
      ))}
    </section>
  );
}
