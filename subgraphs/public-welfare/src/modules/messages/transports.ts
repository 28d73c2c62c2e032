// The transports (EMAIL over SMTP, SMS through a provider adapter, PORTAL) are the kit's outbox's.
export {
  createTransports,
  deliverySecrets,
  NOT_DELIVERED_NOTE,
  PortalTransport,
  SmsTransport,
  SmtpTransport,
  type MessageDeliverySettings,
  type MessageTransport,
  type OutgoingMessage,
} from '@welfare/kit/outbox';
