// Mexican Spanish texts of the Billing page, the Payments settings page and the order payment link; spread into the main catalogue.
import type { Message } from '../types'
import type { enBilling } from './en-billing'

/** Billing and payments strings in Mexican Spanish, by key. */
export const esMXBilling = {
  'nav.billing': 'Facturación',
  'nav.payments': 'Pagos',
  'billing.loading': 'Cargando facturación',
  'billing.plan': 'Tu plan: {plan}',
  'billing.status': 'Suscripción: {status}',
  'billing.renews': 'Se renueva el {when}',
  'billing.endsAt': 'Termina el {when}',
  'billing.pastDue': 'Tu último pago falló. Actualiza tu método de pago antes del {when} para conservar tu plan; después la tienda usará los límites de starter (no se borra nada).',
  'billing.usage': 'Consumo de este mes',
  'billing.usageOf': '{used} de {limit}',
  'billing.unlimited': '{used} (ilimitado)',
  'billing.upgrade': 'Cambiar a {plan}',
  'billing.yearly': '{plan}, anual',
  'billing.manage': 'Administrar suscripción',
  'billing.invoices': 'Facturas',
  'billing.noInvoices': 'Aún no hay facturas.',
  'billing.invoice': 'Factura',
  'billing.ownersOnly': 'Solo los propietarios pueden cambiar el plan.',
  'payments.intro': 'Recibe los pagos con tarjeta de tus clientes en tu propia cuenta de Stripe.',
  'payments.connect': 'Conectar cuenta de Stripe',
  'payments.resume': 'Continuar el registro',
  'payments.loading': 'Cargando la cuenta de pagos',
  'payments.notConnected': 'Aún no hay una cuenta de pagos conectada.',
  'payments.charges': 'Pagos con tarjeta',
  'payments.payouts': 'Depósitos',
  'payments.enabled': 'Activos',
  'payments.disabled': 'Todavía no',
  'payments.requirements': 'Stripe aún necesita: {items}',
  'order.paymentLink': 'Enlace de pago',
  'order.paymentLinkCreate': 'Crear enlace de pago',
  'order.paymentLinkExpires': 'Válido hasta el {when}',
  'order.disputed': 'El cliente disputó un pago con tarjeta el {when}.',
} as const satisfies Record<keyof typeof enBilling, Message>
