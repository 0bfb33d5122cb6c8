// Notification texts per type in Spanish and English, rendered in the recipient's language from the event's data
// (the shapes in workers/webhooks/event-catalogue.ts); a type without its own template gets a generic line.
import type { NotificationType } from './types'

/** The two languages notifications are written in. */
export type NotificationLanguage = 'es' | 'en'

/** A rendered notification. */
export interface RenderedNotification {
  title: string
  body: string
}

type Data = Record<string, unknown>
type Template = (d: Data) => RenderedNotification

const s = (value: unknown, fallback = ''): string => (typeof value === 'string' || typeof value === 'number' ? String(value) : fallback)

const TEMPLATES: Record<NotificationLanguage, Record<NotificationType, Template>> = {
  es: {
    'product.created': (d) => ({ title: 'Producto creado', body: `Se creó el producto «${s(d.name)}».` }),
    'product.updated': (d) => ({ title: 'Producto actualizado', body: `Se actualizó el producto «${s(d.name)}».` }),
    'product.deleted': (d) => ({ title: 'Producto eliminado', body: `Se eliminó el producto «${s(d.name)}».` }),
    'image.indexed': () => ({ title: 'Imagen indexada', body: 'Una imagen de producto ya está lista para la búsqueda visual.' }),
    'image.failed': (d) => ({ title: 'Falló una imagen', body: `No se pudo indexar una imagen de producto: ${s(d.reason)}.` }),
    'import.completed': (d) => ({ title: 'Importación terminada', body: `Importación terminada: ${s(d.created, '0')} creados, ${s(d.updated, '0')} actualizados, ${s(d.failed, '0')} con errores.` }),
    'stock.low': (d) => ({ title: `Stock bajo: ${s(d.sku)}`, body: `Quedan ${s(d.available)} unidades de ${s(d.sku)} en ${s(d.location)} (umbral ${s(d.threshold)}).` }),
    'stock.out': (d) => ({ title: `Agotado: ${s(d.sku)}`, body: `${s(d.sku)} se agotó en ${s(d.location)}.` }),
    'stock.restocked': (d) => ({ title: `Repuesto: ${s(d.sku)}`, body: `${s(d.sku)} vuelve a tener ${s(d.available)} unidades en ${s(d.location)}.` }),
    'reservation.expired': () => ({ title: 'Reserva vencida', body: 'Una reserva de stock venció y sus unidades se liberaron.' }),
    'order.created': (d) => ({ title: `Nuevo pedido #${s(d.number)}`, body: `Se recibió el pedido #${s(d.number)}.` }),
    'order.paid': (d) => ({ title: `Pedido #${s(d.number)} pagado`, body: `El pedido #${s(d.number)} quedó pagado.` }),
    'order.fulfilled': (d) => ({ title: `Pedido #${s(d.number)} enviado`, body: `El pedido #${s(d.number)} se surtió.` }),
    'order.cancelled': (d) => ({ title: `Pedido #${s(d.number)} cancelado`, body: `El pedido #${s(d.number)} se canceló.` }),
    'order.refunded': (d) => ({ title: `Reembolso del pedido #${s(d.number)}`, body: `Se reembolsó parte o todo el pedido #${s(d.number)}.` }),
    'customer.created': (d) => ({ title: 'Nuevo cliente', body: `Se registró el cliente ${s(d.email)}.` }),
    'cart.expired': () => ({ title: 'Carrito vencido', body: 'Un carrito venció sin comprarse.' }),
    'subscription.updated': () => ({ title: 'Suscripción actualizada', body: 'Tu suscripción cambió.' }),
    'payment.failed': (d) => ({ title: 'Pago fallido', body: `Un pago no se pudo cobrar${d.number ? ` (pedido #${s(d.number)})` : ''}.` }),
    'chat.handoff_requested': () => ({ title: 'Un cliente pide hablar con una persona', body: 'Una conversación del asistente espera a alguien del equipo.' }),
    'order.disputed': (d) => ({ title: 'Pago disputado', body: `El cliente abrió una disputa por ${s(d.amount)} (${s(d.reason)}); responde desde Stripe.` }),
    'order.checkout_expired': () => ({ title: 'Enlace de pago vencido', body: 'El enlace de pago de un pedido venció sin pagarse.' }),
    'subscription.cancelled': (d) => ({ title: 'Suscripción cancelada', body: `Tu suscripción se canceló; el plan pasa a ${s(d.plan)}.` }),
    'subscription.trial_will_end': () => ({ title: 'Tu prueba está por terminar', body: 'La prueba gratuita de tu plan termina pronto.' }),
    'invoice.paid': () => ({ title: 'Factura pagada', body: 'Se cobró la factura de tu plan.' }),
    'payments_account.updated': (d) => ({ title: 'Cuenta de pagos actualizada', body: d.chargesEnabled ? 'Tu cuenta de Stripe ya puede cobrar.' : 'Tu cuenta de Stripe aún no puede cobrar: faltan datos.' }),
    'webhook.endpoint_disabled': (d) => ({ title: 'Webhook desactivado', body: `El endpoint ${s(d.url)} falló durante 5 días seguidos y se desactivó.` }),
  },
  en: {
    'product.created': (d) => ({ title: 'Product created', body: `The product "${s(d.name)}" was created.` }),
    'product.updated': (d) => ({ title: 'Product updated', body: `The product "${s(d.name)}" was updated.` }),
    'product.deleted': (d) => ({ title: 'Product deleted', body: `The product "${s(d.name)}" was deleted.` }),
    'image.indexed': () => ({ title: 'Image indexed', body: 'A product image is ready for visual search.' }),
    'image.failed': (d) => ({ title: 'Image failed', body: `A product image could not be indexed: ${s(d.reason)}.` }),
    'import.completed': (d) => ({ title: 'Import finished', body: `Import finished: ${s(d.created, '0')} created, ${s(d.updated, '0')} updated, ${s(d.failed, '0')} with errors.` }),
    'stock.low': (d) => ({ title: `Low stock: ${s(d.sku)}`, body: `${s(d.available)} units of ${s(d.sku)} left at ${s(d.location)} (threshold ${s(d.threshold)}).` }),
    'stock.out': (d) => ({ title: `Out of stock: ${s(d.sku)}`, body: `${s(d.sku)} is out of stock at ${s(d.location)}.` }),
    'stock.restocked': (d) => ({ title: `Restocked: ${s(d.sku)}`, body: `${s(d.sku)} has ${s(d.available)} units again at ${s(d.location)}.` }),
    'reservation.expired': () => ({ title: 'Reservation expired', body: 'A stock reservation expired and its units were released.' }),
    'order.created': (d) => ({ title: `New order #${s(d.number)}`, body: `Order #${s(d.number)} was placed.` }),
    'order.paid': (d) => ({ title: `Order #${s(d.number)} paid`, body: `Order #${s(d.number)} is paid.` }),
    'order.fulfilled': (d) => ({ title: `Order #${s(d.number)} fulfilled`, body: `Order #${s(d.number)} was fulfilled.` }),
    'order.cancelled': (d) => ({ title: `Order #${s(d.number)} cancelled`, body: `Order #${s(d.number)} was cancelled.` }),
    'order.refunded': (d) => ({ title: `Order #${s(d.number)} refunded`, body: `Part or all of order #${s(d.number)} was refunded.` }),
    'customer.created': (d) => ({ title: 'New customer', body: `Customer ${s(d.email)} signed up.` }),
    'cart.expired': () => ({ title: 'Cart expired', body: 'A cart expired without checkout.' }),
    'subscription.updated': () => ({ title: 'Subscription updated', body: 'Your subscription changed.' }),
    'payment.failed': (d) => ({ title: 'Payment failed', body: `A payment could not be collected${d.number ? ` (order #${s(d.number)})` : ''}.` }),
    'chat.handoff_requested': () => ({ title: 'A shopper asks for a person', body: 'An assistant conversation is waiting for someone on the team.' }),
    'order.disputed': (d) => ({ title: 'Payment disputed', body: `The customer opened a dispute over ${s(d.amount)} (${s(d.reason)}); answer it in Stripe.` }),
    'order.checkout_expired': () => ({ title: 'Payment link expired', body: 'An order\'s payment link expired unpaid.' }),
    'subscription.cancelled': (d) => ({ title: 'Subscription cancelled', body: `Your subscription was cancelled; the plan becomes ${s(d.plan)}.` }),
    'subscription.trial_will_end': () => ({ title: 'Your trial ends soon', body: 'Your plan\'s free trial ends soon.' }),
    'invoice.paid': () => ({ title: 'Invoice paid', body: 'Your plan\'s invoice was paid.' }),
    'payments_account.updated': (d) => ({ title: 'Payments account updated', body: d.chargesEnabled ? 'Your Stripe account can take payments now.' : 'Your Stripe account cannot take payments yet: details are missing.' }),
    'webhook.endpoint_disabled': (d) => ({ title: 'Webhook turned off', body: `The endpoint ${s(d.url)} failed for 5 days straight and was turned off.` }),
  },
}

/** The language for a user's stored locale (`es-MX`, `en`, …); Spanish when unset or neither. */
export function languageOf(locale: string | null | undefined): NotificationLanguage {
  return locale?.toLowerCase().startsWith('en') ? 'en' : 'es'
}

/** Renders a notification of `type` in `language`. */
export function renderNotification(type: NotificationType, data: Data, language: NotificationLanguage): RenderedNotification {
  const template = TEMPLATES[language][type]
  if (template) return template(data)
  return language === 'es' ? { title: type, body: `Evento ${type}.` } : { title: type, body: `Event ${type}.` }
}
