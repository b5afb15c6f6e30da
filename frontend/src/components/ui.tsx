import type { ReactNode } from 'react';
import {
  Button as AriaButton,
  type ButtonProps,
  Dialog,
  DialogTrigger,
  FieldError,
  Heading,
  Input,
  Label,
  Modal,
  ProgressBar,
  Text,
  TextField,
  type TextFieldProps,
} from 'react-aria-components';
import { formatBytes, formatDuration, formatRate, etaSeconds, percent } from './format';

/** The generic pieces every screen uses, on react-aria-components (keyboard, focus and ARIA done right). */
export function Button({ variant = 'secondary', ...props }: ButtonProps & { variant?: 'primary' | 'secondary' | 'danger' }) {
  return <AriaButton {...props} className={`button button-${variant}`} />;
}

export function Field({ label, description, ...props }: TextFieldProps & { label: string; description?: string; placeholder?: string }) {
  const { placeholder, ...rest } = props as TextFieldProps & { placeholder?: string };
  return (
    <TextField {...rest} className="field">
      <Label>{label}</Label>
      <Input placeholder={placeholder} />
      {description && <Text slot="description">{description}</Text>}
      <FieldError className="field-error" />
    </TextField>
  );
}

export function ErrorBanner({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div role="alert" className="banner banner-error">
      {title && <strong>{title}: </strong>}
      {message}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return <p role="status">Loading {what}…</p>;
}

/** A confirmation in a modal dialog: the action runs only from the dialog's confirm button. */
export function ConfirmButton({
  label, title, children, confirmLabel, onConfirm, variant = 'danger', isDisabled,
}: {
  label: string; title: string; children: ReactNode; confirmLabel: string;
  onConfirm: () => void | Promise<unknown>; variant?: 'danger' | 'primary'; isDisabled?: boolean;
}) {
  return (
    <DialogTrigger>
      <Button variant={variant} isDisabled={isDisabled}>{label}</Button>
      <Modal className="modal" isDismissable>
        <Dialog className="dialog" role="alertdialog">
          {({ close }) => (
            <>
              <Heading slot="title">{title}</Heading>
              {children}
              <div className="actions">
                <Button onPress={close}>Keep</Button>
                <Button variant={variant} onPress={async () => { await onConfirm(); close(); }}>{confirmLabel}</Button>
              </div>
            </>
          )}
        </Dialog>
      </Modal>
    </DialogTrigger>
  );
}

/** Bytes moved out of a total, with rate and time left: one per transfer (upload, each download). */
export function TransferBar({ label, done, total, rate, finished }: {
  label: string; done: number; total: number; rate: number; finished?: boolean;
}) {
  const value = finished ? 100 : percent(done, total);
  const eta = finished ? null : etaSeconds(done, total, rate);
  return (
    <ProgressBar value={value} className="transfer" valueLabel={`${value.toFixed(0)} %`}>
      {({ valueText }) => (
        <>
          <div className="transfer-head">
            <Label>{label}</Label>
            <span className="transfer-value">{valueText}</span>
          </div>
          <div className="bar"><div className="fill" style={{ width: `${value}%` }} /></div>
          <div className="transfer-figures">
            <span>{finished && total === 0 ? 'complete' : `${formatBytes(done)} of ${total > 0 ? formatBytes(total) : 'unknown'}`}</span>
            <span>rate {formatRate(rate)}</span>
            <span>ETA {formatDuration(eta)}</span>
          </div>
        </>
      )}
    </ProgressBar>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}
