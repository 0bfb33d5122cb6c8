// Generated from GET /openapi.json by web/scripts/openapi-types.ts: the API as the admin UI is type-checked against it. Do not edit.

/** Named schemas of the API (components.schemas). */
export interface Schemas {
  Health: {
    status: "ok" | "degraded" | "starting"
    database: {
      ok: boolean
      ms: number
    }
    startup: {
      pending: string[]
    }
    clip: {
      status: "ready" | "model_unavailable" | "down"
    }
    version: string
  }
  Session: Schemas["Tokens"] & ({
    refreshToken: string
    user: Schemas["Self"]
    tenant: Schemas["Tenant"]
    role: Schemas["Role"]
  })
  Self: Schemas["User"] & ({
    locale: "es-MX" | "en" | null
  })
  User: {
    id: string
    email: string
    name: string | null
  }
  Tenant: {
    id: string
    name: string
    slug: string
    plan: string
    settings: {
      [key: string]: unknown
    }
    createdAt: string
  }
  Role: "owner" | "admin" | "member" | "viewer"
  Tokens: {
    accessToken: string
    refreshToken?: string
    tokenType: "Bearer"
    expiresIn: number
  }
  Error: {
    error: {
      code: string
      message: string
      details?: unknown
      requestId?: string
    }
  }
  RegisterRequest: {
    email: string
    password: string
    tenantName: string
    name?: string
  }
  LoginRequest: {
    email: string
    password: string
    tenant?: string
  }
  RefreshRequest: {
    refreshToken?: string
  }
  Me: {
    user: Schemas["Self"]
    tenant: Schemas["Tenant"]
    role: Schemas["Role"]
  }
  MePatch: {
    locale: "es-MX" | "en" | null
  }
  EmailVerified: {
    verified: true
    email: string
  }
  VerifyEmailRequest: {
    token: string
  }
  VerificationResent: {
    verified: boolean
  }
  TenantPatch: {
    name?: string
    settings?: {
      [key: string]: unknown
    }
  }
  TenantArchive: {
    id: string
    kind: "export" | "import"
    state: "queued" | "running" | "completed" | "failed"
    progress: {
      [key: string]: number
    }
    error: string | null
    downloadUrl: string | null
    createdAt: string
    finishedAt: string | null
  }
  CreatedInvitation: Schemas["Invitation"] & ({
    url: string
    emailed: boolean
  })
  Invitation: {
    id: string
    email: string
    role: Schemas["Role"]
    status: "pending" | "accepted" | "revoked" | "expired"
    createdAt: string
    expiresAt: string
  }
  Invite: {
    email: string
    role: Schemas["Role"]
  }
  AcceptedInvitation: {
    accessToken: string
    refreshToken: string
    tokenType: "Bearer"
    expiresIn: number
    user: Schemas["User"]
    tenant: Schemas["Tenant"]
    role: Schemas["Role"]
  }
  AcceptInvitation: {
    password?: string
    name?: string
  }
  Member: {
    user: Schemas["User"]
    role: Schemas["Role"]
    joinedAt: string
  }
  ChangeRole: {
    role: Schemas["Role"]
  }
  CreatedApiKey: Schemas["ApiKey"] & ({
    key: string
  })
  ApiKey: {
    id: string
    name: string
    prefix: string
    type: "secret" | "publishable"
    scopes: ("read" | "write" | "admin" | "storefront")[]
    createdAt: string
    expiresAt: string | null
    revokedAt: string | null
    lastUsedAt: string | null
  }
  CreateApiKey: {
    name: string
    type?: "secret" | "publishable"
    scopes?: ("read" | "write" | "admin")[]
    expiresAt?: string
  }
  ImportApiKey: {
    name: string
    keyHash: string
    prefix: string
    scopes: ("read" | "write" | "admin")[]
    expiresAt?: string
  }
  Usage: {
    from: string
    to: string
    plan: Schemas["Plan"]
    totals: {
      api_requests?: number
      searches?: number
      embeddings?: number
      chat_messages?: number
    }
    daily: ({
      day: string
      resource: "api_requests" | "searches" | "embeddings" | "chat_messages"
      count: number
    })[]
  }
  Plan: {
    id: string
    name: string
    priceCents: number
    currency: string
    requestsPerMinute: number
    requestsPerDay: number | null
    monthlySearches: number | null
    monthlyEmbeddings: number | null
    monthlyChatMessages: number | null
  }
  AuditEntry: {
    id: string
    actorType: "user" | "api_key"
    actorId: string
    action: string
    targetType: string
    targetId: string | null
    details: {
      [key: string]: unknown
    }
    createdAt: string
  }
  Category: {
    id: string
    parentId: string | null
    name: string
    slug: string
    description: string | null
    position: number
    depth: number
    productCount: number
  }
  CreateCategory: {
    name: string
    slug?: string
    parentId?: string | null
    description?: string | null
    position?: number
  }
  PatchCategory: {
    name?: string
    slug?: string
    parentId?: string | null
    description?: string | null
    position?: number
  }
  AttributeDefinition: {
    id: string
    key: string
    label: string
    type: "text" | "number" | "list" | "date" | "boolean"
    multiple: boolean
    options: string[]
    required: boolean
    position: number
    appliesTo: "product" | "variant"
  }
  CreateAttributeDefinition: {
    key: string
    label: string
    type: "text" | "number" | "list" | "date" | "boolean"
    multiple?: boolean
    options?: string[]
    required?: boolean
    position?: number
    appliesTo?: "product" | "variant"
  }
  PatchAttributeDefinition: {
    label?: string
    multiple?: boolean
    options?: string[]
    required?: boolean
    position?: number
  }
  ImportDryRun: {
    dryRun: true
    totalRows: number
    counts: {
      created: number
      updated: number
      unchanged: number
      failed: number
    }
    errors: Schemas["ImportRowError"][]
    errorsTruncated: boolean
  }
  ImportRowError: {
    row: number
    field: string
    message: string
  }
  CatalogImport: {
    id: string
    status: "queued" | "running" | "completed" | "failed"
    totalRows: number
    processedRows: number
    counts: {
      created: number
      updated: number
      unchanged: number
      failed: number
    }
    errors: Schemas["ImportRowError"][]
    failureReason: string | null
    createdAt: string
    finishedAt: string | null
  }
  ProductBulkResult: {
    action: "activate" | "archive" | "draft" | "set_category" | "delete"
    affected: number
    ids: string[]
  }
  ProductBulkAction: {
    action: "activate" | "archive" | "draft" | "set_category" | "delete"
    ids: string[]
    categoryId?: string | null
  }
  ProductListItem: Schemas["Product"] & ({
    stock?: {
      available: number
      onHand: number
      tracked: boolean
    }
    thumbnail?: string | null
  })
  AttributeValues: {
    [key: string]: string | number | boolean | string[] | null
  }
  ValidationIssue: {
    in: string
    path: string
    message: string
    code: string
    minimum?: number
    maximum?: number
    origin?: string
  }
  Variant: {
    id: string
    sku: string
    name: string | null
    options: {
      [key: string]: string
    }
    price: number
    compareAtPrice: number | null
    cost: number | null
    currency: string
    weightGrams: number | null
    barcode: string | null
    attributes: Schemas["AttributeValues"]
    attributeIssues: Schemas["ValidationIssue"][]
    position: number
    active: boolean
  }
  Product: {
    id: string
    name: string
    slug: string
    description: string | null
    status: "draft" | "active" | "archived"
    categoryId: string | null
    brand: string | null
    tags: string[]
    seoTitle: string | null
    seoDescription: string | null
    attributes: Schemas["AttributeValues"]
    attributeIssues: Schemas["ValidationIssue"][]
    variants: Schemas["Variant"][]
    images: {
      total: number
      ready: number
      pending: number
      failed: number
    }
    createdAt: string
    updatedAt: string
  }
  ProductInput: {
    name: string
    slug?: string
    description?: string | null
    status?: "draft" | "active" | "archived"
    categoryId?: string | null
    brand?: string | null
    tags?: string[]
    seoTitle?: string | null
    seoDescription?: string | null
    attributes?: Schemas["AttributeValues"]
    variants?: Schemas["VariantInput"][]
  }
  VariantInput: {
    sku: string
    name?: string | null
    options?: {
      [key: string]: string
    }
    price: number
    compareAtPrice?: number | null
    cost?: number | null
    currency: string
    weightGrams?: number | null
    barcode?: string | null
    attributes?: Schemas["AttributeValues"]
    position?: number
    active?: boolean
  }
  ProductPatch: {
    name?: string
    slug?: string
    description?: string | null
    status?: "draft" | "active" | "archived"
    categoryId?: string | null
    brand?: string | null
    tags?: string[]
    seoTitle?: string | null
    seoDescription?: string | null
    attributes?: Schemas["AttributeValues"]
  }
  VariantPatch: {
    sku?: string
    name?: string | null
    options?: {
      [key: string]: string
    }
    price?: number
    compareAtPrice?: number | null
    cost?: number | null
    currency?: string
    weightGrams?: number | null
    barcode?: string | null
    attributes?: Schemas["AttributeValues"]
    position?: number
    active?: boolean
  }
  ProductImage: {
    id: string
    productId: string
    variantId: string | null
    status: "pending" | "ready" | "failed"
    failureReason: string | null
    url: string
    thumbnails: {
      small?: string
      large?: string
    }
    contentType: string
    bytes: number
    width: number
    height: number
    sha256: string
    position: number
    alt: string | null
    isPrimary: boolean
    createdAt: string
    updatedAt: string
  }
  ImageUploadForm: {
    file: string | string[]
    alt?: string
  }
  ImageUploadUrl: {
    url: string
    alt?: string | null
  }
  ImagePatch: {
    alt?: string | null
    position?: number
    primary?: boolean
    variantId?: string | null
  }
  StockMutation: {
    levels: Schemas["StockLevel"][]
    replayed: boolean
  }
  StockLevel: {
    sku: string
    location: string
    onHand: number
    reserved: number
    available: number
    lowStockThreshold: number | null
    allowBackorder: boolean
    updatedAt: string
  }
  StockAdjust: {
    reason?: string
    lines: ({
      sku: string
      location?: string
      delta: number
    })[]
  }
  StockSet: {
    reason?: string
    lines: ({
      sku: string
      location?: string
      onHand: number
      expected?: number
    })[]
  }
  StockReduce: {
    reason?: string
    lines: ({
      sku: string
      location?: string
      quantity: number
    })[]
  }
  StockTransfer: {
    lines: ({
      sku: string
      from?: string
      to: string
      quantity: number
    })[]
  }
  StockBulkCheck: {
    skus: string[]
    location?: string
  }
  ReservationResult: {
    reservation: Schemas["Reservation"]
    levels: Schemas["StockLevel"][]
    replayed: boolean
  }
  Reservation: {
    id: string
    status: "held" | "committed" | "released" | "expired"
    expiresAt: string
    lines: ({
      sku: string
      location: string
      quantity: number
    })[]
  }
  ReservationCreate: {
    ttlSeconds: number
    lines: ({
      sku: string
      location?: string
      quantity: number
    })[]
  }
  StockAlert: {
    id: string
    sku: string
    location: string
    status: "open" | "acknowledged" | "resolved"
    threshold: number
    available: number
    createdAt: string
    acknowledgedAt: string | null
    acknowledgedBy: string | null
    resolvedAt: string | null
    resolvedBy: string | null
  }
  LabelledStockLevel: Schemas["StockLevel"] & ({
    product?: ({
      productId: string
      productName: string
      variantName: string | null
      options: {
        [key: string]: string
      }
      categoryId: string | null
    }) | null
  })
  StockLedgerEntry: {
    id: number
    sku: string
    location: string
    delta: number
    reservedDelta: number
    reason: string
    actor: string
    actorLabel: string | null
    idempotencyKey: string | null
    reservationId: string | null
    onHand: number
    available: number
    at: string
  }
  StockRegister: {
    skus: ({
      sku: string
      location?: string
      lowStockThreshold?: number | null
      allowBackorder?: boolean
    })[]
  }
  StockConfigure: {
    location?: string
    lowStockThreshold?: number | null
    allowBackorder?: boolean
  }
  SearchResponse: {
    results: Schemas["SearchResult"][]
    category: Schemas["DetectedCategory"]
    tookMs: number
  }
  SearchResult: {
    product: Schemas["SearchProduct"]
    image: Schemas["SearchImage"]
    score: number
  }
  SearchProduct: {
    id: string
    name: string
    slug: string
    status: "draft" | "active" | "archived"
    categoryId: string | null
    price: ({
      min: number
      max: number
      currency: string
    }) | null
  }
  SearchImage: {
    id: string
    url: string
    thumbnails: {
      small: string
      large: string
    }
  }
  DetectedCategory: ({
    id: string
    name: string
    score: number
    margin: number
  }) | null
  SearchImageForm: {
    image: string
  }
  SearchImageJson: {
    top_k?: number
    min_score?: number | null
    detect_category?: "auto" | "off" | "restrict"
    category_id?: string
    min_price?: number | null
    max_price?: number | null
    in_stock?: boolean
    include_inactive?: boolean
    attr?: string | string[]
    imageBase64?: string
    url?: string
  }
  SearchTextJson: {
    top_k?: number
    min_score?: number | null
    detect_category?: "auto" | "off" | "restrict"
    category_id?: string
    min_price?: number | null
    max_price?: number | null
    in_stock?: boolean
    include_inactive?: boolean
    attr?: string | string[]
    query: string
  }
  SeedSearchResponse: {
    success: true
    query_type: "image"
    detected_category: ({
      id: string
      name: string
      confidence: number
      margin: number
    }) | null
    results: ({
      product_id: string
      name: string
      slug: string
      category_id: string | null
      price: number | null
      currency: string | null
      image_id: string
      image_url: string
      thumbnail_url: string
      similarity: number
    })[]
    total_results: number
    processing_time_ms: number
  }
  SeedSearchForm: {
    image: string
    limit?: number
  }
  SearchAnalytics: {
    from: string
    to: string
    searches: number
    zeroResultRate: number
    cacheHitRate: number
    latencyMs: {
      p50: number | null
      p95: number | null
      p99: number | null
    }
    days: ({
      day: string
      searches: number
      image: number
      text: number
      similar: number
      zeroResults: number
    })[]
    topQueries: ({
      query: string
      searches: number
      zeroResults: number
    })[]
  }
  ActiveCart: {
    id: string
    currency: string
    customerId: string | null
    customerName: string | null
    email: string | null
    linesCount: number
    unitsReserved: number
    subtotal: number
    expiresAt: string
    createdAt: string
    updatedAt: string
  }
  Totals: {
    subtotal: number
    shipping: number
    tax: number
    taxIncluded: boolean
    total: number
  }
  Cart: {
    id: string
    status: "active" | "expired" | "checked_out"
    currency: string
    customerId: string | null
    email: string | null
    orderId: string | null
    expiresAt: string
    createdAt: string
    updatedAt: string
    lines: ({
      id: string
      sku: string
      productId: string
      variantId: string
      productName: string
      variantName: string | null
      options: {
        [key: string]: string
      }
      quantity: number
      location: string
      unitPrice: number
      lineTotal: number
      reserved: boolean
    })[]
    totals: Schemas["Totals"]
  }
  CreateCart: {
    currency: string
    customerId?: string
    email?: string
  }
  AddCartLine: {
    sku: string
    quantity: number
    location?: string
  }
  PatchCartLine: {
    quantity: number
  }
  Order: Schemas["OrderSummary"] & ({
    cartId: string | null
    shippingMethod: ({
      id: string
      name: string
      price: number
    }) | null
    shippingAddress: ({
      name: string
      line1: string
      line2: string | null
      city: string
      region: string | null
      postalCode: string
      country: string
      phone: string | null
    }) | null
    billingAddress: ({
      name: string
      line1: string
      line2: string | null
      city: string
      region: string | null
      postalCode: string
      country: string
      phone: string | null
    }) | null
    notes: string | null
    lines: ({
      id: string
      sku: string
      productId: string | null
      variantId: string | null
      productName: string
      variantName: string | null
      options: {
        [key: string]: string
      }
      unitPrice: number
      quantity: number
      lineTotal: number
      location: string
      fulfilledQuantity: number
      refundedQuantity: number
    })[]
    payments: ({
      id: string
      method: "cash" | "card_present" | "bank_transfer" | "other" | "stripe"
      amount: number
      reference: string | null
      actor: {
        type: string
        id: string
      }
      createdAt: string
    })[]
    refunds: ({
      id: string
      amount: number
      lines: ({
        lineId: string
        quantity: number
      })[]
      restock: boolean
      restockedAt: string | null
      actor: {
        type: string
        id: string
      }
      createdAt: string
    })[]
    fulfillments: ({
      id: string
      lines: ({
        lineId: string
        quantity: number
      })[]
      carrier: string | null
      trackingNumber: string | null
      trackingUrl: string | null
      actor: {
        type: string
        id: string
      }
      createdAt: string
    })[]
    timeline: ({
      type: string
      data: {
        [key: string]: unknown
      }
      actor: {
        type: string
        id: string
      }
      at: string
    })[]
  })
  OrderSummary: {
    id: string
    number: number
    channel: "online" | "pos"
    status: "open" | "cancelled" | "completed"
    paymentStatus: "pending" | "partially_paid" | "paid" | "partially_refunded" | "refunded"
    fulfillmentStatus: "unfulfilled" | "partial" | "fulfilled"
    stockState: "held" | "committed" | "released"
    customerId: string | null
    email: string | null
    customerName: string | null
    currency: string
    totals: {
      subtotal: number
      shipping: number
      tax: number
      taxIncluded: boolean
      total: number
    }
    paidAmount: number
    refundedAmount: number
    holdExpiresAt: string | null
    paidAt: string | null
    cancelledAt: string | null
    disputedAt: string | null
    createdAt: string
    updatedAt: string
  }
  Checkout: {
    email?: string
    customerId?: string
    shippingAddress: Schemas["Address"]
    billingAddress?: Schemas["Address"]
    shippingMethodId?: string
    notes?: string
    acceptPriceChanges?: boolean
  }
  Address: {
    name: string
    line1: string
    line2?: string | null
    city: string
    region?: string | null
    postalCode: string
    country: string
    phone?: string | null
  }
  PointOfSale: {
    lines: ({
      sku: string
      quantity: number
      location?: string
    })[]
    customerId?: string
    notes?: string
    payment: {
      method: "cash" | "card_present" | "bank_transfer" | "other"
      amount?: number
      reference?: string
    }
  }
  RecordPayment: {
    method: "cash" | "card_present" | "bank_transfer" | "other"
    amount: number
    reference?: string
  }
  CancelOrder: {
    reason?: string
  }
  RecordRefund: {
    amount: number
    lines?: ({
      lineId: string
      quantity: number
    })[]
    restock: boolean
  }
  RecordFulfillment: {
    lines: ({
      lineId: string
      quantity: number
    })[]
    carrier?: string
    trackingNumber?: string
    trackingUrl?: string
  }
  CustomerListItem: {
    id: string
    email: string
    firstName: string | null
    lastName: string | null
    phone: string | null
    company: string | null
    taxId: string | null
    type: "individual" | "business" | "wholesale"
    tags: string[]
    notes: string | null
    marketingConsent: boolean
    consentAt: string | null
    ordersCount: number
    totalSpent: number
    lastOrderAt: string | null
    createdAt: string
    updatedAt: string
  }
  Customer: {
    id: string
    email: string
    firstName: string | null
    lastName: string | null
    phone: string | null
    company: string | null
    taxId: string | null
    type: "individual" | "business" | "wholesale"
    tags: string[]
    notes: string | null
    marketingConsent: boolean
    consentAt: string | null
    ordersCount: number
    totalSpent: number
    lastOrderAt: string | null
    createdAt: string
    updatedAt: string
    addresses: Schemas["CustomerAddress"][]
  }
  CustomerAddress: {
    id: string
    kind: "billing" | "shipping"
    isDefault: boolean
    name: string
    line1: string
    line2: string | null
    city: string
    region: string | null
    postalCode: string
    country: string
    phone: string | null
    createdAt: string
    updatedAt: string
  }
  CustomerInput: {
    email: string
    firstName?: string | null
    lastName?: string | null
    phone?: string | null
    company?: string | null
    taxId?: string | null
    type?: "individual" | "business" | "wholesale"
    tags?: string[]
    notes?: string | null
    marketingConsent?: boolean
    addresses?: Schemas["CustomerAddressInput"][]
  }
  CustomerAddressInput: Schemas["Address"] & ({
    kind: "billing" | "shipping"
    isDefault?: boolean
  })
  CustomerPatch: {
    email?: string
    firstName?: string | null
    lastName?: string | null
    phone?: string | null
    company?: string | null
    taxId?: string | null
    type?: "individual" | "business" | "wholesale"
    tags?: string[]
    notes?: string | null
    marketingConsent?: boolean
  }
  CustomerAddressPatch: {
    name?: string
    line1?: string
    line2?: string | null
    city?: string
    region?: string | null
    postalCode?: string
    country?: string
    phone?: string | null
    kind?: "billing" | "shipping"
    isDefault?: boolean
  }
  ShippingMethod: {
    id: string
    name: string
    price: number
    currency: string
    freeAbove: number | null
    active: boolean
    createdAt: string
    updatedAt: string
  }
  ShippingMethodInput: {
    name: string
    price: number
    currency: string
    freeAbove?: number | null
    active?: boolean
  }
  ShippingMethodPatch: {
    name?: string
    price?: number
    currency?: string
    freeAbove?: number | null
    active?: boolean
  }
  AiProvider: {
    id: string
    position: number
    kind: "openai-compatible" | "huggingface" | "workers-ai"
    name: string
    baseUrl: string | null
    hfProvider: string | null
    model: string
    apiKeyLast4: string | null
    enabled: boolean
    inputPricePerMTok: number
    outputPricePerMTok: number
    firstTokenTimeoutMs: number
    createdAt: string
    updatedAt: string
    health?: Schemas["ProviderHealth"]
  }
  ProviderHealth: {
    state: "closed" | "open" | "half_open"
    forced: "open" | "closed" | null
    openUntil: string | null
    successRate: number | null
    p50Ms: number | null
    latencyEwmaMs: number | null
    ttftMs: number | null
    lastError: ({
      message: string
      at: string
    }) | null
    history: ({
      at: string
      state: "closed" | "open" | "half_open"
      reason: string
    })[]
  }
  CreateAiProvider: {
    kind: "openai-compatible" | "huggingface" | "workers-ai"
    name: string
    baseUrl?: string | null
    hfProvider?: string | null
    model: string
    apiKey?: string | null
    enabled?: boolean
    inputPricePerMTok?: number
    outputPricePerMTok?: number
    firstTokenTimeoutMs?: number
  }
  UpdateAiProvider: {
    kind?: "openai-compatible" | "huggingface" | "workers-ai"
    name?: string
    baseUrl?: string | null
    hfProvider?: string | null
    model?: string
    apiKey?: string | null
    enabled?: boolean
    inputPricePerMTok?: number
    outputPricePerMTok?: number
    firstTokenTimeoutMs?: number
  }
  AiProviderOrder: {
    ids: string[]
  }
  AiProviderTest: {
    ok: boolean
    latencyMs: number
    error?: string
    status?: number
  }
  AiBreakerForce: {
    state: "open" | "closed" | "auto"
  }
  ChatCompletion: {
    id?: string
    object?: string
    choices: unknown[]
    [key: string]: unknown
  }
  ChatCompletionRequest: {
    messages: ({
      role: string
      [key: string]: unknown
    })[]
    stream?: boolean
    model?: string
    tools?: ({
      type: string
      [key: string]: unknown
    })[]
    [key: string]: unknown
  }
  AiUsage: {
    from: string
    to: string
    rows: ({
      day: string
      providerId: string
      provider: string
      model: string
      calls: number
      failures: number
      tokensIn: number
      tokensOut: number
      costUsd: number
      p50LatencyMs: number | null
    })[]
  }
  CreatedChat: {
    id: string
    state: "assistant" | "waiting" | "human" | "closed"
    secret?: string
  }
  CreateChat: {
    customerId?: string
    cartId?: string
  }
  ChatPage: {
    data: Schemas["ChatConversation"][]
    nextCursor: string | null
    waiting: number
  }
  ChatConversation: {
    id: string
    customerId: string | null
    cartId: string | null
    state: "assistant" | "waiting" | "human" | "closed"
    agentName: string | null
    waitingSince: string | null
    waitedMs: number
    messageCount: number
    lastMessageAt: string | null
    createdAt: string
  }
  ChatMessagePage: {
    data: Schemas["ChatMessage"][]
    nextAfterSeq: number | null
  }
  ChatMessage: {
    seq: number
    role: "shopper" | "assistant" | "agent" | "system"
    author: string | null
    parts: Schemas["ChatPart"][]
    clientId: string | null
    interrupted: boolean
    createdAt: string
    provider: string | null
    model: string | null
    tokensIn: number | null
    tokensOut: number | null
    costUsd: number | null
    latencyMs: number | null
  }
  ChatPart: {
    type: "text" | "products" | "cart"
    [key: string]: unknown
  }
  ChatStateChange: {
    state: "human" | "assistant" | "closed"
  }
  AssistantSettings: {
    enabled?: boolean
    name?: string
    instructions?: string
    language?: "es" | "en"
    tools?: ("search_products" | "get_product" | "check_stock" | "add_to_cart" | "handoff")[]
  }
  WebhookEndpoint: {
    id: string
    url: string
    description: string | null
    eventTypes: string[]
    enabled: boolean
    disabledReason: string | null
    disabledAt: string | null
    previousSecretExpiresAt: string | null
    createdAt: string
    updatedAt: string
  }
  WebhookEndpointWithSecret: Schemas["WebhookEndpoint"] & ({
    secret: string
  })
  WebhookEndpointInput: {
    url: string
    description?: string | null
    eventTypes: ("*" | "product.created" | "product.updated" | "product.deleted" | "image.indexed" | "image.failed" | "import.completed" | "stock.low" | "stock.out" | "stock.restocked" | "reservation.expired" | "order.created" | "order.paid" | "order.fulfilled" | "order.cancelled" | "order.refunded" | "customer.created" | "cart.expired" | "order.disputed" | "order.checkout_expired" | "subscription.updated" | "subscription.cancelled" | "subscription.trial_will_end" | "invoice.paid" | "payment.failed" | "payments_account.updated" | "chat.handoff_requested")[]
    enabled?: boolean
  }
  WebhookEndpointPatch: {
    url?: string
    description?: string | null
    eventTypes?: ("*" | "product.created" | "product.updated" | "product.deleted" | "image.indexed" | "image.failed" | "import.completed" | "stock.low" | "stock.out" | "stock.restocked" | "reservation.expired" | "order.created" | "order.paid" | "order.fulfilled" | "order.cancelled" | "order.refunded" | "customer.created" | "cart.expired" | "order.disputed" | "order.checkout_expired" | "subscription.updated" | "subscription.cancelled" | "subscription.trial_will_end" | "invoice.paid" | "payment.failed" | "payments_account.updated" | "chat.handoff_requested")[]
    enabled?: boolean
  }
  WebhookSecretRotation: {
    secret: string
    previousSecretExpiresAt: string
  }
  WebhookMessage: {
    id: string
    eventId: string
    eventType: string
    status: "pending" | "delivered" | "failed"
    attempts: number
    nextAttemptAt: string | null
    lastAttemptAt: string | null
    createdAt: string
  }
  WebhookMessageWithAttempts: Schemas["WebhookMessage"] & ({
    attemptLog: Schemas["WebhookAttempt"][]
  })
  WebhookAttempt: {
    id: string
    succeeded: boolean
    responseStatus: number | null
    latencyMs: number
    response: string
    attemptedAt: string
  }
  WebhookReplay: {
    since: string
  }
  Billing: {
    plan: {
      id: string
      name: string
    }
    subscription: ({
      id: string
      status: string
      plan: string | null
      interval: string | null
      currentPeriodEnd: string | null
      cancelAtPeriodEnd: boolean
    }) | null
    pastDue: boolean
    downgradeAt: string | null
    invoices: ({
      id: string
      status: string
      amountDue: number
      amountPaid: number
      currency: string
      createdAt: string
      url: string | null
    })[]
    plans: ({
      id: string
      name: string
      priceCents: number
      currency: string
      intervals: ("month" | "year")[]
    })[]
  }
  RedirectUrl: {
    url: string
  }
  PlanCheckout: {
    plan: string
    interval?: "month" | "year"
  }
  PaymentsAccount: {
    accountId: string | null
    chargesEnabled: boolean
    payoutsEnabled: boolean
    requirementsDue: string[]
  }
  PaymentsOnboarding: {
    url: string
    accountId: string
  }
  OrderCheckoutSession: {
    id: string
    url: string
    amount: number
    applicationFee: number
    expiresAt: string
  }
  OrderCheckoutSessionRequest: {
    successUrl?: string
    cancelUrl?: string
  }
  StripeWebhookReceipt: {
    received: true
    outcome: "processed" | "duplicate" | "ignored"
  }
  NotificationPage: {
    data: Schemas["Notification"][]
    nextCursor: string | null
    unreadCount: number
  }
  Notification: {
    id: string
    type: string
    eventId: string | null
    title: string
    body: string
    locale: "es" | "en"
    data: {
      [key: string]: unknown
    }
    readAt: string | null
    createdAt: string
  }
  NotificationReadInput: ({
    ids: string[]
  }) | ({
    all: true
  })
  NotificationPreferences: {
    data: (Schemas["NotificationPreference"] & ({
      isDefault: boolean
    }))[]
    emailConfigured: boolean
  }
  NotificationPreference: {
    type: "product.created" | "product.updated" | "product.deleted" | "image.indexed" | "image.failed" | "import.completed" | "stock.low" | "stock.out" | "stock.restocked" | "reservation.expired" | "order.created" | "order.paid" | "order.fulfilled" | "order.cancelled" | "order.refunded" | "customer.created" | "cart.expired" | "order.disputed" | "order.checkout_expired" | "subscription.updated" | "subscription.cancelled" | "subscription.trial_will_end" | "invoice.paid" | "payment.failed" | "payments_account.updated" | "chat.handoff_requested" | "webhook.endpoint_disabled"
    inApp: boolean
    email: boolean
  }
  NotificationPreferencesInput: {
    preferences: Schemas["NotificationPreference"][]
  }
  Error503: {
    error: {
      code: "service_unavailable" | "database_busy" | "model_unavailable" | "payments_not_configured"
      message: string
      details?: unknown
      requestId?: string
    }
  }
  Error400: {
    error: {
      code: "invalid_request" | "invalid_cursor" | "invalid_archive" | "unknown_sku"
      message: string
      details?: unknown
      requestId?: string
    }
  }
  Error409: {
    error: {
      code: "conflict" | "email_taken" | "last_owner" | "already_member" | "account_exists" | "invitation_pending" | "sku_taken" | "slug_taken" | "customer_email_taken" | "insufficient_stock" | "stale_quantity" | "idempotency_conflict" | "reservation_closed" | "cart_expired" | "cart_checked_out" | "cart_empty" | "price_changed" | "order_cancelled" | "payment_window_lapsed" | "overpayment" | "refund_exceeds_paid" | "order_not_cancellable" | "over_fulfillment" | "order_not_paid" | "payments_account_not_ready" | "plan_not_for_sale" | "tenant_not_empty" | "archive_not_ready"
      message: string
      details?: unknown
      requestId?: string
    }
  }
  Error413: {
    error: {
      code: "payload_too_large"
      message: string
      details?: unknown
      requestId?: string
    }
  }
  Error415: {
    error: {
      code: "unsupported_media_type"
      message: string
      details?: unknown
      requestId?: string
    }
  }
  Error429: {
    error: {
      code: "rate_limited" | "quota_exceeded"
      message: string
      details?: unknown
      requestId?: string
    }
  }
  Error401: {
    error: {
      code: "unauthorized" | "membership_revoked"
      message: string
      details?: unknown
      requestId?: string
    }
  }
  Error403: {
    error: {
      code: "forbidden" | "email_unverified" | "invitation_email_mismatch"
      message: string
      details?: unknown
      requestId?: string
    }
  }
  Error404: {
    error: {
      code: "not_found" | "reservation_not_found" | "alert_not_found"
      message: string
      details?: unknown
      requestId?: string
    }
  }
  Error410: {
    error: {
      code: "invitation_expired" | "invitation_used" | "invitation_revoked"
      message: string
      details?: unknown
      requestId?: string
    }
  }
  Error502: {
    error: {
      code: "payment_provider_error"
      message: string
      details?: unknown
      requestId?: string
    }
  }
}

/** Every operation by path and method: what it takes (`input`) and what a 2xx answers (`ok`). */
export interface Paths {
  "/v1/health": {
    get: {
      input: Record<never, never>
      ok: Schemas["Health"]
    }
  }
  "/v1/auth/register": {
    post: {
      input: {
        body: Schemas["RegisterRequest"]
      }
      ok: Schemas["Session"]
    }
  }
  "/v1/auth/login": {
    post: {
      input: {
        body: Schemas["LoginRequest"]
      }
      ok: Schemas["Session"]
    }
  }
  "/v1/auth/refresh": {
    post: {
      input: {
        body?: Schemas["RefreshRequest"]
      }
      ok: Schemas["Tokens"]
    }
  }
  "/v1/auth/logout": {
    post: {
      input: {
        body?: Schemas["RefreshRequest"]
      }
      ok: null
    }
  }
  "/v1/auth/me": {
    get: {
      input: Record<never, never>
      ok: Schemas["Me"]
    }
    patch: {
      input: {
        body: Schemas["MePatch"]
      }
      ok: Schemas["Me"]
    }
  }
  "/v1/auth/verify-email": {
    post: {
      input: {
        body: Schemas["VerifyEmailRequest"]
      }
      ok: Schemas["EmailVerified"]
    }
  }
  "/v1/auth/verify-email/resend": {
    post: {
      input: Record<never, never>
      ok: Schemas["VerificationResent"]
    }
  }
  "/v1/tenant": {
    get: {
      input: Record<never, never>
      ok: Schemas["Tenant"]
    }
    patch: {
      input: {
        body: Schemas["TenantPatch"]
      }
      ok: Schemas["Tenant"]
    }
  }
  "/v1/tenant/exports": {
    post: {
      input: Record<never, never>
      ok: Schemas["TenantArchive"]
    }
  }
  "/v1/tenant/exports/{id}": {
    get: {
      input: {
        path: { id: string }
      }
      ok: Schemas["TenantArchive"]
    }
  }
  "/v1/tenant/exports/{id}/download": {
    get: {
      input: {
        path: { id: string }
      }
      ok: string
    }
  }
  "/v1/tenant/imports": {
    post: {
      input: Record<never, never>
      ok: Schemas["TenantArchive"]
    }
  }
  "/v1/tenant/imports/{id}": {
    get: {
      input: {
        path: { id: string }
      }
      ok: Schemas["TenantArchive"]
    }
  }
  "/v1/members/invitations": {
    get: {
      input: {
        query?: { limit?: number; cursor?: string }
      }
      ok: {
        data: Schemas["Invitation"][]
        nextCursor: string | null
      }
    }
    post: {
      input: {
        body: Schemas["Invite"]
      }
      ok: Schemas["CreatedInvitation"]
    }
  }
  "/v1/members/invitations/{id}": {
    delete: {
      input: {
        path: { id: string }
      }
      ok: null
    }
  }
  "/v1/invitations/{token}/accept": {
    post: {
      input: {
        path: { token: string }
        body: Schemas["AcceptInvitation"]
      }
      ok: Schemas["AcceptedInvitation"]
    }
  }
  "/v1/members": {
    get: {
      input: Record<never, never>
      ok: {
        data: Schemas["Member"][]
      }
    }
  }
  "/v1/members/{userId}": {
    patch: {
      input: {
        path: { userId: string }
        body: Schemas["ChangeRole"]
      }
      ok: Schemas["Member"]
    }
    delete: {
      input: {
        path: { userId: string }
      }
      ok: null
    }
  }
  "/v1/api-keys": {
    get: {
      input: {
        query?: { limit?: number; cursor?: string; includeRevoked?: "true" | "false" }
      }
      ok: {
        data: Schemas["ApiKey"][]
        nextCursor: string | null
      }
    }
    post: {
      input: {
        body: Schemas["CreateApiKey"]
      }
      ok: Schemas["CreatedApiKey"]
    }
  }
  "/v1/api-keys/import": {
    post: {
      input: {
        body: Schemas["ImportApiKey"]
      }
      ok: Schemas["ApiKey"]
    }
  }
  "/v1/api-keys/{id}": {
    delete: {
      input: {
        path: { id: string }
      }
      ok: null
    }
  }
  "/v1/usage": {
    get: {
      input: {
        query?: { from?: string; to?: string }
      }
      ok: Schemas["Usage"]
    }
  }
  "/v1/audit-log": {
    get: {
      input: {
        query?: { limit?: number; cursor?: string; action?: string }
      }
      ok: {
        data: Schemas["AuditEntry"][]
        nextCursor: string | null
      }
    }
  }
  "/v1/categories": {
    get: {
      input: Record<never, never>
      ok: {
        data: Schemas["Category"][]
      }
    }
    post: {
      input: {
        body: Schemas["CreateCategory"]
      }
      ok: Schemas["Category"]
    }
  }
  "/v1/categories/{id}": {
    get: {
      input: {
        path: { id: string }
      }
      ok: Schemas["Category"]
    }
    patch: {
      input: {
        path: { id: string }
        body: Schemas["PatchCategory"]
      }
      ok: Schemas["Category"]
    }
    delete: {
      input: {
        path: { id: string }
      }
      ok: null
    }
  }
  "/v1/attributes": {
    get: {
      input: {
        query?: { appliesTo?: "product" | "variant" }
      }
      ok: {
        data: Schemas["AttributeDefinition"][]
      }
    }
    post: {
      input: {
        body: Schemas["CreateAttributeDefinition"]
      }
      ok: Schemas["AttributeDefinition"]
    }
  }
  "/v1/attributes/{id}": {
    patch: {
      input: {
        path: { id: string }
        body: Schemas["PatchAttributeDefinition"]
      }
      ok: Schemas["AttributeDefinition"]
    }
    delete: {
      input: {
        path: { id: string }
      }
      ok: null
    }
  }
  "/v1/products/import": {
    post: {
      input: {
        query?: { dryRun?: "true" | "false" }
      }
      ok: Schemas["ImportDryRun"] | Schemas["CatalogImport"]
    }
  }
  "/v1/products/imports/{id}": {
    get: {
      input: {
        path: { id: string }
      }
      ok: Schemas["CatalogImport"]
    }
  }
  "/v1/products/export": {
    get: {
      input: {
        query?: { format?: "csv" | "json" }
      }
      ok: ({
        [key: string]: string
      })[]
    }
  }
  "/v1/products/bulk": {
    post: {
      input: {
        body: Schemas["ProductBulkAction"]
      }
      ok: Schemas["ProductBulkResult"]
    }
  }
  "/v1/products": {
    get: {
      input: {
        query?: { limit?: number; cursor?: string; status?: "draft" | "active" | "archived"; categoryId?: string; q?: string; minPrice?: number | null; maxPrice?: number | null; attr?: string | string[]; sort?: "newest" | "oldest" | "name" | "-name" | "price" | "-price" | "relevance"; include?: string }
      }
      ok: {
        data: Schemas["ProductListItem"][]
        nextCursor: string | null
      }
    }
    post: {
      input: {
        body: Schemas["ProductInput"]
      }
      ok: Schemas["Product"]
    }
  }
  "/v1/products/{id}": {
    get: {
      input: {
        path: { id: string }
      }
      ok: Schemas["Product"]
    }
    patch: {
      input: {
        path: { id: string }
        body: Schemas["ProductPatch"]
      }
      ok: Schemas["Product"]
    }
    delete: {
      input: {
        path: { id: string }
      }
      ok: null
    }
  }
  "/v1/products/{id}/variants": {
    get: {
      input: {
        path: { id: string }
      }
      ok: {
        data: Schemas["Variant"][]
      }
    }
    post: {
      input: {
        path: { id: string }
        body: Schemas["VariantInput"]
      }
      ok: Schemas["Variant"]
    }
  }
  "/v1/products/{id}/variants/{variantId}": {
    patch: {
      input: {
        path: { id: string; variantId: string }
        body: Schemas["VariantPatch"]
      }
      ok: Schemas["Variant"]
    }
    delete: {
      input: {
        path: { id: string; variantId: string }
      }
      ok: null
    }
  }
  "/v1/products/{id}/images": {
    get: {
      input: {
        path: { id: string }
      }
      ok: {
        data: Schemas["ProductImage"][]
      }
    }
    post: {
      input: {
        path: { id: string }
        body?: Schemas["ImageUploadUrl"]
      }
      ok: {
        data: Schemas["ProductImage"][]
      }
    }
  }
  "/v1/products/{id}/images/{imageId}": {
    get: {
      input: {
        path: { id: string; imageId: string }
      }
      ok: Schemas["ProductImage"]
    }
    patch: {
      input: {
        path: { id: string; imageId: string }
        body: Schemas["ImagePatch"]
      }
      ok: Schemas["ProductImage"]
    }
    delete: {
      input: {
        path: { id: string; imageId: string }
      }
      ok: null
    }
  }
  "/v1/products/{id}/images/{imageId}/reindex": {
    post: {
      input: {
        path: { id: string; imageId: string }
      }
      ok: Schemas["ProductImage"]
    }
  }
  "/v1/media/t/{tenantId}/images/{imageId}/{file}": {
    get: {
      input: {
        path: { tenantId: string; imageId: string; file: "original" | "thumb-300.webp" | "w1200.webp" }
      }
      ok: string
    }
  }
  "/v1/inventory/adjust": {
    post: {
      input: {
        headers: { "idempotency-key": string }
        body: Schemas["StockAdjust"]
      }
      ok: Schemas["StockMutation"]
    }
  }
  "/v1/inventory/set": {
    post: {
      input: {
        headers: { "idempotency-key": string }
        body: Schemas["StockSet"]
      }
      ok: Schemas["StockMutation"]
    }
  }
  "/v1/inventory/reduce": {
    post: {
      input: {
        headers: { "idempotency-key": string }
        body: Schemas["StockReduce"]
      }
      ok: Schemas["StockMutation"]
    }
  }
  "/v1/inventory/transfer": {
    post: {
      input: {
        headers: { "idempotency-key": string }
        body: Schemas["StockTransfer"]
      }
      ok: Schemas["StockMutation"]
    }
  }
  "/v1/inventory/bulk-check": {
    post: {
      input: {
        body: Schemas["StockBulkCheck"]
      }
      ok: {
        available: {
          [key: string]: number
        }
      }
    }
  }
  "/v1/inventory/reservations": {
    post: {
      input: {
        headers: { "idempotency-key": string }
        body: Schemas["ReservationCreate"]
      }
      ok: Schemas["ReservationResult"]
    }
  }
  "/v1/inventory/reservations/{id}/commit": {
    post: {
      input: {
        path: { id: string }
        headers: { "idempotency-key": string }
      }
      ok: Schemas["ReservationResult"]
    }
  }
  "/v1/inventory/reservations/{id}/release": {
    post: {
      input: {
        path: { id: string }
        headers: { "idempotency-key": string }
      }
      ok: Schemas["ReservationResult"]
    }
  }
  "/v1/inventory/alerts": {
    get: {
      input: {
        query?: { limit?: number; cursor?: string; status?: "open" | "acknowledged" | "resolved" }
      }
      ok: {
        data: Schemas["StockAlert"][]
        nextCursor: string | null
      }
    }
  }
  "/v1/inventory/alerts/{id}/acknowledge": {
    post: {
      input: {
        path: { id: string }
      }
      ok: Schemas["StockAlert"]
    }
  }
  "/v1/inventory/alerts/{id}/resolve": {
    post: {
      input: {
        path: { id: string }
      }
      ok: Schemas["StockAlert"]
    }
  }
  "/v1/inventory/live": {
    get: {
      input: {
        query?: { shard?: number | null; token?: string }
      }
      ok: null
    }
  }
  "/v1/inventory": {
    get: {
      input: {
        query?: { limit?: number; cursor?: string; sku?: string; location?: string; include?: "product" }
      }
      ok: {
        data: Schemas["LabelledStockLevel"][]
        nextCursor: string | null
      }
    }
  }
  "/v1/inventory/{sku}/ledger": {
    get: {
      input: {
        path: { sku: string }
        query?: { limit?: number; cursor?: string; location?: string }
      }
      ok: {
        data: Schemas["StockLedgerEntry"][]
        nextCursor: string | null
      }
    }
  }
  "/v1/inventory/skus": {
    post: {
      input: {
        headers: { "idempotency-key": string }
        body: Schemas["StockRegister"]
      }
      ok: Schemas["StockMutation"] & ({
        created: number
      })
    }
  }
  "/v1/inventory/{sku}": {
    patch: {
      input: {
        path: { sku: string }
        headers: { "idempotency-key": string }
        body: Schemas["StockConfigure"]
      }
      ok: Schemas["StockMutation"]
    }
  }
  "/api/external/inventory/reduce-stock": {
    post: {
      input: {
        headers?: { "idempotency-key"?: string }
        body: {
          sku: string
          quantity: number
          reason?: string
        }
      }
      ok: {
        success: true
        sku: string
        quantity_reduced: number
        previous_stock: number
        new_stock: number
        reason: string | null
      }
    }
  }
  "/api/external/inventory/check-stock": {
    get: {
      input: {
        query: { sku: string }
      }
      ok: {
        success: true
        sku: string
        stock: number
        in_stock: boolean
      }
    }
  }
  "/api/external/inventory/bulk-check-stock": {
    post: {
      input: {
        body: {
          skus: string[]
        }
      }
      ok: {
        success: true
        results: ({
          sku: string
          stock: number
          in_stock: boolean
          found: boolean
        })[]
      }
    }
  }
  "/v1/search/image": {
    post: {
      input: {
        query?: { top_k?: number; min_score?: number | null; detect_category?: "auto" | "off" | "restrict"; category_id?: string; min_price?: number | null; max_price?: number | null; in_stock?: boolean; include_inactive?: boolean; attr?: string | string[] }
        body?: Schemas["SearchImageJson"]
      }
      ok: Schemas["SearchResponse"]
    }
  }
  "/v1/search/text": {
    post: {
      input: {
        query?: { top_k?: number; min_score?: number | null; detect_category?: "auto" | "off" | "restrict"; category_id?: string; min_price?: number | null; max_price?: number | null; in_stock?: boolean; include_inactive?: boolean; attr?: string | string[] }
        body: Schemas["SearchTextJson"]
      }
      ok: Schemas["SearchResponse"]
    }
  }
  "/v1/products/{id}/similar": {
    get: {
      input: {
        path: { id: string }
        query?: { top_k?: number; min_score?: number | null; detect_category?: "auto" | "off" | "restrict"; category_id?: string; min_price?: number | null; max_price?: number | null; in_stock?: boolean; include_inactive?: boolean; attr?: string | string[] }
      }
      ok: Schemas["SearchResponse"]
    }
  }
  "/api/search": {
    post: {
      input: {
        query?: { top_k?: number; min_score?: number | null; detect_category?: "auto" | "off" | "restrict"; category_id?: string; min_price?: number | null; max_price?: number | null; in_stock?: boolean; include_inactive?: boolean; attr?: string | string[] }
      }
      ok: Schemas["SeedSearchResponse"]
    }
  }
  "/v1/analytics/searches": {
    get: {
      input: {
        query?: { from?: string; to?: string; top?: number }
      }
      ok: Schemas["SearchAnalytics"]
    }
  }
  "/v1/carts": {
    get: {
      input: {
        query?: { limit?: number; cursor?: string }
      }
      ok: {
        data: Schemas["ActiveCart"][]
        nextCursor: string | null
      }
    }
    post: {
      input: {
        body: Schemas["CreateCart"]
      }
      ok: Schemas["Cart"] & ({
        secret?: string
      })
    }
  }
  "/v1/carts/{id}": {
    get: {
      input: {
        path: { id: string }
        headers?: { "x-cart-secret"?: string }
      }
      ok: Schemas["Cart"]
    }
  }
  "/v1/carts/{id}/items": {
    post: {
      input: {
        path: { id: string }
        headers?: { "x-cart-secret"?: string }
        body: Schemas["AddCartLine"]
      }
      ok: Schemas["Cart"]
    }
  }
  "/v1/carts/{id}/items/{lineId}": {
    patch: {
      input: {
        path: { id: string; lineId: string }
        headers?: { "x-cart-secret"?: string }
        body: Schemas["PatchCartLine"]
      }
      ok: Schemas["Cart"]
    }
    delete: {
      input: {
        path: { id: string; lineId: string }
        headers?: { "x-cart-secret"?: string }
      }
      ok: Schemas["Cart"]
    }
  }
  "/v1/carts/{id}/checkout": {
    post: {
      input: {
        path: { id: string }
        headers: { "idempotency-key": string; "x-cart-secret"?: string }
        body: Schemas["Checkout"]
      }
      ok: Schemas["Order"]
    }
  }
  "/v1/orders": {
    get: {
      input: {
        query?: { limit?: number; cursor?: string; status?: "open" | "cancelled" | "completed"; paymentStatus?: "pending" | "partially_paid" | "paid" | "partially_refunded" | "refunded"; fulfillmentStatus?: "unfulfilled" | "partial" | "fulfilled"; customerId?: string; createdFrom?: string; createdTo?: string; q?: string }
      }
      ok: {
        data: Schemas["OrderSummary"][]
        nextCursor: string | null
      }
    }
    post: {
      input: {
        headers: { "idempotency-key": string }
        body: Schemas["PointOfSale"]
      }
      ok: Schemas["Order"]
    }
  }
  "/v1/orders/export": {
    get: {
      input: {
        query?: { status?: "open" | "cancelled" | "completed"; paymentStatus?: "pending" | "partially_paid" | "paid" | "partially_refunded" | "refunded"; fulfillmentStatus?: "unfulfilled" | "partial" | "fulfilled"; customerId?: string; createdFrom?: string; createdTo?: string; q?: string }
      }
      ok: string
    }
  }
  "/v1/orders/{id}": {
    get: {
      input: {
        path: { id: string }
      }
      ok: Schemas["Order"]
    }
  }
  "/v1/orders/{id}/payments": {
    post: {
      input: {
        path: { id: string }
        body: Schemas["RecordPayment"]
      }
      ok: Schemas["Order"]
    }
  }
  "/v1/orders/{id}/cancel": {
    post: {
      input: {
        path: { id: string }
        body?: Schemas["CancelOrder"]
      }
      ok: Schemas["Order"]
    }
  }
  "/v1/orders/{id}/refunds": {
    post: {
      input: {
        path: { id: string }
        body: Schemas["RecordRefund"]
      }
      ok: Schemas["Order"]
    }
  }
  "/v1/orders/{id}/fulfillments": {
    post: {
      input: {
        path: { id: string }
        body: Schemas["RecordFulfillment"]
      }
      ok: Schemas["Order"]
    }
  }
  "/v1/customers": {
    get: {
      input: {
        query?: { limit?: number; cursor?: string; q?: string; type?: "individual" | "business" | "wholesale"; tag?: string | string[] }
      }
      ok: {
        data: Schemas["CustomerListItem"][]
        nextCursor: string | null
      }
    }
    post: {
      input: {
        body: Schemas["CustomerInput"]
      }
      ok: Schemas["Customer"]
    }
  }
  "/v1/customers/{id}": {
    get: {
      input: {
        path: { id: string }
      }
      ok: Schemas["Customer"]
    }
    patch: {
      input: {
        path: { id: string }
        body: Schemas["CustomerPatch"]
      }
      ok: Schemas["Customer"]
    }
    delete: {
      input: {
        path: { id: string }
      }
      ok: null
    }
  }
  "/v1/customers/{id}/addresses": {
    post: {
      input: {
        path: { id: string }
        body: Schemas["CustomerAddressInput"]
      }
      ok: Schemas["CustomerAddress"]
    }
  }
  "/v1/customers/{id}/addresses/{addressId}": {
    patch: {
      input: {
        path: { id: string; addressId: string }
        body: Schemas["CustomerAddressPatch"]
      }
      ok: Schemas["CustomerAddress"]
    }
    delete: {
      input: {
        path: { id: string; addressId: string }
      }
      ok: null
    }
  }
  "/v1/shipping-methods": {
    get: {
      input: {
        query?: { limit?: number; cursor?: string; currency?: string; active?: "true" | "false" }
      }
      ok: {
        data: Schemas["ShippingMethod"][]
        nextCursor: string | null
      }
    }
    post: {
      input: {
        body: Schemas["ShippingMethodInput"]
      }
      ok: Schemas["ShippingMethod"]
    }
  }
  "/v1/shipping-methods/{id}": {
    get: {
      input: {
        path: { id: string }
      }
      ok: Schemas["ShippingMethod"]
    }
    patch: {
      input: {
        path: { id: string }
        body: Schemas["ShippingMethodPatch"]
      }
      ok: Schemas["ShippingMethod"]
    }
    delete: {
      input: {
        path: { id: string }
      }
      ok: null
    }
  }
  "/v1/ai/providers": {
    get: {
      input: Record<never, never>
      ok: {
        items: Schemas["AiProvider"][]
      }
    }
    post: {
      input: {
        body: Schemas["CreateAiProvider"]
      }
      ok: Schemas["AiProvider"]
    }
  }
  "/v1/ai/providers/{id}": {
    patch: {
      input: {
        path: { id: string }
        body: Schemas["UpdateAiProvider"]
      }
      ok: Schemas["AiProvider"]
    }
    delete: {
      input: {
        path: { id: string }
      }
      ok: null
    }
  }
  "/v1/ai/providers/order": {
    put: {
      input: {
        body: Schemas["AiProviderOrder"]
      }
      ok: {
        items: Schemas["AiProvider"][]
      }
    }
  }
  "/v1/ai/providers/{id}/test": {
    post: {
      input: {
        path: { id: string }
      }
      ok: Schemas["AiProviderTest"]
    }
  }
  "/v1/ai/providers/{id}/breaker": {
    put: {
      input: {
        path: { id: string }
        body: Schemas["AiBreakerForce"]
      }
      ok: Schemas["AiProvider"]
    }
  }
  "/v1/ai/chat/completions": {
    post: {
      input: {
        body: Schemas["ChatCompletionRequest"]
      }
      ok: Schemas["ChatCompletion"]
    }
  }
  "/v1/ai/usage": {
    get: {
      input: {
        query?: { from?: string; to?: string }
      }
      ok: Schemas["AiUsage"]
    }
  }
  "/v1/chats": {
    get: {
      input: {
        query?: { limit?: number; cursor?: string; state?: "assistant" | "waiting" | "human" | "closed"; waiting?: "true" | "false"; customerId?: string; from?: string; to?: string }
      }
      ok: Schemas["ChatPage"]
    }
    post: {
      input: {
        headers?: { "x-cart-secret"?: string }
        body: Schemas["CreateChat"]
      }
      ok: Schemas["CreatedChat"]
    }
  }
  "/v1/chats/{id}/live": {
    get: {
      input: {
        path: { id: string }
        query?: { key?: string; secret?: string; token?: string }
      }
      ok: null
    }
  }
  "/v1/chats/{id}/messages": {
    get: {
      input: {
        path: { id: string }
        query?: { afterSeq?: number | null; limit?: number }
      }
      ok: Schemas["ChatMessagePage"]
    }
  }
  "/v1/chats/{id}/state": {
    post: {
      input: {
        path: { id: string }
        body: Schemas["ChatStateChange"]
      }
      ok: Schemas["ChatConversation"]
    }
  }
  "/v1/assistant/settings": {
    get: {
      input: Record<never, never>
      ok: Schemas["AssistantSettings"]
    }
    put: {
      input: {
        body: Schemas["AssistantSettings"]
      }
      ok: Schemas["AssistantSettings"]
    }
  }
  "/v1/webhooks/endpoints": {
    get: {
      input: {
        query?: { limit?: number; cursor?: string }
      }
      ok: {
        data: Schemas["WebhookEndpoint"][]
        nextCursor: string | null
      }
    }
    post: {
      input: {
        body: Schemas["WebhookEndpointInput"]
      }
      ok: Schemas["WebhookEndpointWithSecret"]
    }
  }
  "/v1/webhooks/endpoints/{id}": {
    get: {
      input: {
        path: { id: string }
      }
      ok: Schemas["WebhookEndpoint"]
    }
    patch: {
      input: {
        path: { id: string }
        body: Schemas["WebhookEndpointPatch"]
      }
      ok: Schemas["WebhookEndpoint"]
    }
    delete: {
      input: {
        path: { id: string }
      }
      ok: null
    }
  }
  "/v1/webhooks/endpoints/{id}/rotate-secret": {
    post: {
      input: {
        path: { id: string }
      }
      ok: Schemas["WebhookSecretRotation"]
    }
  }
  "/v1/webhooks/endpoints/{id}/messages": {
    get: {
      input: {
        path: { id: string }
        query?: { limit?: number; cursor?: string; status?: "pending" | "delivered" | "failed"; eventType?: string }
      }
      ok: {
        data: Schemas["WebhookMessage"][]
        nextCursor: string | null
      }
    }
  }
  "/v1/webhooks/endpoints/{id}/messages/{messageId}": {
    get: {
      input: {
        path: { id: string; messageId: string }
      }
      ok: Schemas["WebhookMessageWithAttempts"]
    }
  }
  "/v1/webhooks/endpoints/{id}/messages/{messageId}/retry": {
    post: {
      input: {
        path: { id: string; messageId: string }
      }
      ok: {
        queued: true
      }
    }
  }
  "/v1/webhooks/endpoints/{id}/test": {
    post: {
      input: {
        path: { id: string }
      }
      ok: {
        eventId: string
      }
    }
  }
  "/v1/webhooks/endpoints/{id}/replay": {
    post: {
      input: {
        path: { id: string }
        body: Schemas["WebhookReplay"]
      }
      ok: {
        queued: number
      }
    }
  }
  "/v1/billing": {
    get: {
      input: Record<never, never>
      ok: Schemas["Billing"]
    }
  }
  "/v1/billing/checkout": {
    post: {
      input: {
        body: Schemas["PlanCheckout"]
      }
      ok: Schemas["RedirectUrl"]
    }
  }
  "/v1/billing/portal": {
    post: {
      input: Record<never, never>
      ok: Schemas["RedirectUrl"]
    }
  }
  "/v1/payments/connect": {
    get: {
      input: Record<never, never>
      ok: Schemas["PaymentsAccount"]
    }
    post: {
      input: Record<never, never>
      ok: Schemas["PaymentsOnboarding"]
    }
  }
  "/v1/orders/{id}/checkout-session": {
    post: {
      input: {
        path: { id: string }
        body?: Schemas["OrderCheckoutSessionRequest"]
      }
      ok: Schemas["OrderCheckoutSession"]
    }
  }
  "/v1/webhooks/stripe": {
    post: {
      input: Record<never, never>
      ok: Schemas["StripeWebhookReceipt"]
    }
  }
  "/v1/webhooks/stripe-connect": {
    post: {
      input: Record<never, never>
      ok: Schemas["StripeWebhookReceipt"]
    }
  }
  "/v1/notifications": {
    get: {
      input: {
        query?: { limit?: number; cursor?: string; unread?: "true" | "false" }
      }
      ok: Schemas["NotificationPage"]
    }
  }
  "/v1/notifications/read": {
    post: {
      input: {
        body: Schemas["NotificationReadInput"]
      }
      ok: {
        updated: number
        unreadCount: number
      }
    }
  }
  "/v1/notifications/preferences": {
    get: {
      input: Record<never, never>
      ok: Schemas["NotificationPreferences"]
    }
    put: {
      input: {
        body: Schemas["NotificationPreferencesInput"]
      }
      ok: Schemas["NotificationPreferences"]
    }
  }
  "/v1/tenant/live": {
    get: {
      input: {
        query?: { token?: string }
      }
      ok: null
    }
  }
}
