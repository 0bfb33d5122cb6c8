// Starts Swagger UI on /docs against the Worker's generated OpenAPI document.
window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#docs', deepLinking: true, tryItOutEnabled: true })
