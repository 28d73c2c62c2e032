// The transports (EMAIL over SMTP, SMS through a provider adapter, PORTAL) are the kit's outbox's.
export {
  createTransports,
  deliverySecrets,
  NOT_DELIVERED_NOTE,
  OutboxOnlyTransport,
  PermanentDeliveryError,
  PortalTransport,
  SmsTransport,
  SmtpTransport,
  UnconfiguredTransport,
  type DeliveryReceipt,
  type MessageDeliverySettings,
  type MessageTransport,
  type OutgoingMessage,
} from '@welfare/kit/outbox';
