/** Modal dialogs on the native `<dialog>`: focus stays inside, Escape closes, the page behind is inert. */
import { type FormEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { IconClose } from './icons';
import './dialog.css';

interface DialogProps {
  title: string;
  onClose: () => void;
  children: ReactNode;
  /** Buttons at the bottom; a form dialog passes them through `FormDialog`. */
  footer?: ReactNode;
  wide?: boolean;
  className?: string;
}

export function Dialog({ title, onClose, children, footer, wide, className }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    // The control that opened the dialog (a row's table, a button) gets focus back when it closes:
    // the dialog leaves the page on close, so the browser would otherwise drop focus on the body.
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    // showModal focuses the first focusable element (the Close button); prefer the field to fill or the main action.
    const target =
      dialog.querySelector<HTMLElement>('[data-autofocus]') ??
      dialog.querySelector<HTMLElement>('.dialog__body input:not([type="hidden"]), .dialog__body select') ??
      dialog.querySelector<HTMLElement>('.dialog__footer .button--primary, .dialog__footer .button--danger');
    target?.focus();
    return () => {
      dialog.close();
      if (opener?.isConnected && opener !== document.body) opener.focus({ preventScroll: true });
    };
  }, []);
  return (
    <dialog
      ref={ref}
      className={`dialog ${wide ? 'dialog--wide' : ''} ${className ?? ''}`}
      aria-labelledby={titleId}
      onCancel={(event) => {
        // Only the dialog's own cancel (Escape): a file input's cancel (the picker closed without
        // a choice) bubbles here too and must not close the dialog around it.
        if (event.target !== event.currentTarget) return;
        event.preventDefault();
        onClose();
      }}
      onMouseDown={(event) => {
        // A press on the backdrop (the dialog element itself, outside its box) closes it.
        if (event.target === ref.current) {
          const rect = ref.current.getBoundingClientRect();
          const inside =
            event.clientX >= rect.left &&
            event.clientX <= rect.right &&
            event.clientY >= rect.top &&
            event.clientY <= rect.bottom;
          if (!inside) onClose();
        }
      }}
    >
      <header className="dialog__header">
        <h2 id={titleId} className="dialog__title">
          {title}
        </h2>
        <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
          <IconClose />
        </button>
      </header>
      <div className="dialog__body">{children}</div>
      {footer && <footer className="dialog__footer">{footer}</footer>}
    </dialog>
  );
}

interface FormDialogProps {
  title: string;
  submitLabel: string;
  onClose: () => void;
  onSubmit: () => Promise<unknown> | undefined;
  children: ReactNode;
  danger?: boolean;
  disabled?: boolean;
  wide?: boolean;
}

/** A dialog around a form: Enter submits, the button shows progress, a failure shows the server's message inline. */
export function FormDialog({
  title,
  submitLabel,
  onClose,
  onSubmit,
  children,
  danger,
  disabled,
  wide,
}: FormDialogProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const formId = useId();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await onSubmit();
      onClose();
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  };
  return (
    <Dialog
      title={title}
      onClose={onClose}
      wide={wide}
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            form={formId}
            className={`button ${danger ? 'button--danger' : 'button--primary'}`}
            disabled={busy || disabled}
            aria-busy={busy}
          >
            {busy ? `${submitLabel}…` : submitLabel}
          </button>
        </>
      }
    >
      <form id={formId} onSubmit={submit} className="form">
        {children}
        {error && (
          <p className="form__error" role="alert">
            {error}
          </p>
        )}
      </form>
    </Dialog>
  );
}

export function ConfirmDialog(props: {
  title: string;
  message: ReactNode;
  confirmLabel: string;
  onConfirm: () => Promise<unknown> | undefined;
  onClose: () => void;
  danger?: boolean;
}) {
  return (
    <FormDialog
      title={props.title}
      submitLabel={props.confirmLabel}
      onClose={props.onClose}
      onSubmit={props.onConfirm}
      danger={props.danger}
    >
      <p className="dialog__message">{props.message}</p>
    </FormDialog>
  );
}

/** Asks for one line of text: a folder name, a new name. */
export function PromptDialog(props: {
  title: string;
  label: string;
  initialValue?: string;
  submitLabel: string;
  onSubmit: (value: string) => Promise<unknown>;
  onClose: () => void;
  /** Selects the name without its extension, as file managers do on rename. */
  selectStem?: boolean;
  hint?: ReactNode;
}) {
  const [value, setValue] = useState(props.initialValue ?? '');
  const inputId = useId();
  const selectedOnce = useRef(false);
  return (
    <FormDialog
      title={props.title}
      submitLabel={props.submitLabel}
      onClose={props.onClose}
      onSubmit={() => props.onSubmit(value.trim())}
      disabled={value.trim() === '' || value === props.initialValue}
    >
      <label htmlFor={inputId} className="form__label">
        {props.label}
      </label>
      <input
        id={inputId}
        className="input"
        value={value}
        data-autofocus
        onFocus={(event) => {
          // Once, on open: the name without its extension is selected, as file managers do on rename.
          if (selectedOnce.current) return;
          selectedOnce.current = true;
          const el = event.currentTarget;
          const dot = el.value.lastIndexOf('.');
          if (props.selectStem && dot > 0) el.setSelectionRange(0, dot);
          else el.select();
        }}
        onChange={(event) => setValue(event.target.value)}
        spellCheck={false}
        autoComplete="off"
      />
      {props.hint && <p className="form__hint">{props.hint}</p>}
    </FormDialog>
  );
}
