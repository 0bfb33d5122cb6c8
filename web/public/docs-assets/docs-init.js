// Starts Swagger UI on /docs against the Worker's generated OpenAPI document (a file, not an inline script: the CSP
// allows scripts from this origin only). No validator badge: it would load an image from validator.swagger.io.
window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#docs', deepLinking: true, tryItOutEnabled: true, validatorUrl: null })
