/// The OpenAPI 3.1 document of every route `remit serve` answers, served at `/openapi.yaml`
/// (a test checks it against the router: nothing missing, nothing extra).
enum OpenAPIDocument {
    static let yaml = #"""
openapi: 3.1.0
info:
  title: Remit priced endpoints
  version: "1"
  description: >-
    remit serve: priced model endpoints (HTTP 402 challenge, vouchers and ticks in X-Remit-Payment,
    receipts in X-Remit-Receipt), the model directory, payee channel registration, the ledger API
    and operator-signed admin routes. Normative text: docs/PROTOCOL.md section 12. Every refusal is
    JSON {"error": {"code", "message"}}: payment refused 402, malformed 400, admin signature 401,
    unknown 404, conflict 409, too large 413, rate 429, internal 500, timeout or draining 503.
servers:
  - url: http://127.0.0.1:8402
paths:
  /healthz:
    get:
      operationId: health
      summary: "Liveness: ok, or draining during a graceful shutdown."
      responses:
        '200': { description: OK, content: { application/json: { schema: { $ref: '#/components/schemas/Health' } } } }
  /metrics:
    get:
      operationId: metrics
      summary: "Counters and timers in the Prometheus text format."
      responses:
        '200': { description: Prometheus text, content: { text/plain: { schema: { type: string } } } }
  /openapi.yaml:
    get:
      operationId: openapi
      summary: "This document."
      responses:
        '200': { description: OpenAPI 3.1, content: { application/yaml: { schema: { type: string } } } }
  /v1/models:
    get:
      operationId: listModels
      summary: "The directory: every model served, with its signed listing and OpenRouter-like fields."
      responses:
        '200': { description: OK, content: { application/json: { schema: { $ref: '#/components/schemas/ModelCards' } } } }
  /v1/models/{id}:
    get:
      operationId: showModel
      summary: "One model (by hex id or name)."
      parameters:
        - { name: id, in: path, required: true, schema: { type: string } }
      responses:
        '200': { description: OK, content: { application/json: { schema: { $ref: '#/components/schemas/ModelCard' } } } }
        '404': { $ref: '#/components/responses/Error' }
  /v1/models/{id}/query:
    post:
      operationId: queryModel
      summary: "Ask a priced model. Unpaid: 402 with the payment requirement. Paid (X-Remit-Payment): 200 with the answer and the receipt headers."
      parameters:
        - { name: id, in: path, required: true, schema: { type: string } }
        - { name: X-Remit-Payment, in: header, required: false, schema: { type: string, contentEncoding: base64 }, description: "base64 of a Signed<Voucher>'s wire bytes or a tick's canonical bytes" }
      requestBody:
        required: true
        content: { application/json: { schema: { $ref: '#/components/schemas/Query' } } }
      responses:
        '200': { description: OK, content: { application/json: { schema: { $ref: '#/components/schemas/Answer' } } } }
        '402': { description: Payment required or refused, content: { application/json: { schema: { $ref: '#/components/schemas/PaymentRequirement' } } } }
        '429': { $ref: '#/components/responses/Error' }
        '400': { $ref: '#/components/responses/Error' }
        '404': { $ref: '#/components/responses/Error' }
        '409': { $ref: '#/components/responses/Error' }
        '413': { $ref: '#/components/responses/Error' }
  /v1/models/{id}/stream:
    post:
      operationId: streamModel
      summary: "A run of queries paid by ticks, one per request on one channel: the answers and one signed receipt batch for the run (402 when the run is refused)."
      parameters:
        - { name: id, in: path, required: true, schema: { type: string } }
      requestBody:
        required: true
        content: { application/json: { schema: { $ref: '#/components/schemas/StreamQuery' } } }
      responses:
        '200': { description: OK, content: { application/json: { schema: { $ref: '#/components/schemas/StreamResult' } } } }
        '402': { $ref: '#/components/responses/Error' }
        '429': { $ref: '#/components/responses/Error' }
        '400': { $ref: '#/components/responses/Error' }
        '404': { $ref: '#/components/responses/Error' }
        '413': { $ref: '#/components/responses/Error' }
  /v1/channels:
    post:
      operationId: registerChannel
      summary: "Register a channel the ledger holds with its payee (the signed channel-open, §5 JSON)."
      requestBody:
        required: true
        content: { application/json: { schema: { $ref: '#/components/schemas/SignedMessage' } } }
      responses:
        '201': { description: OK, content: { application/json: { schema: { $ref: '#/components/schemas/ChannelView' } } } }
        '400': { $ref: '#/components/responses/Error' }
        '409': { $ref: '#/components/responses/Error' }
        '413': { $ref: '#/components/responses/Error' }
  /v1/channels/{id}:
    get:
      operationId: payeeChannel
      summary: "The payee's view of a channel."
      parameters:
        - { name: id, in: path, required: true, schema: { type: string } }
      responses:
        '200': { description: OK, content: { application/json: { schema: { $ref: '#/components/schemas/ChannelView' } } } }
        '404': { $ref: '#/components/responses/Error' }
  /v1/channels/{id}/top-up:
    post:
      operationId: registerTopUp
      summary: "Tell the payee about a top-up the ledger applied (signed channel-top-up)."
      parameters:
        - { name: id, in: path, required: true, schema: { type: string } }
      requestBody:
        required: true
        content: { application/json: { schema: { $ref: '#/components/schemas/SignedMessage' } } }
      responses:
        '200': { description: OK, content: { application/json: { schema: { $ref: '#/components/schemas/ChannelView' } } } }
        '400': { $ref: '#/components/responses/Error' }
        '404': { $ref: '#/components/responses/Error' }
        '409': { $ref: '#/components/responses/Error' }
        '413': { $ref: '#/components/responses/Error' }
  /v1/channels/{id}/close:
    post:
      operationId: closeChannel
      summary: "Cooperative close: the payee claims and the ledger settles at once."
      parameters:
        - { name: id, in: path, required: true, schema: { type: string } }
      responses:
        '200': { description: OK, content: { application/json: { schema: { $ref: '#/components/schemas/ChannelView' } } } }
        '400': { $ref: '#/components/responses/Error' }
        '404': { $ref: '#/components/responses/Error' }
        '409': { $ref: '#/components/responses/Error' }
        '413': { $ref: '#/components/responses/Error' }
  /v1/ledger:
    get:
      operationId: ledgerInfo
      summary: "The ledger's id, operator key, supply, time and head."
      responses:
        '200': { description: OK, content: { application/json: { schema: { $ref: '#/components/schemas/LedgerInfo' } } } }
  /v1/ledger/accounts/{account}:
    get:
      operationId: account
      summary: "An account's balance and last transfer nonce (rm1…, escrow:<channel>, bond:<contribution>)."
      parameters:
        - { name: account, in: path, required: true, schema: { type: string } }
      responses:
        '200': { description: OK, content: { application/json: { schema: { $ref: '#/components/schemas/AccountInfo' } } } }
        '404': { $ref: '#/components/responses/Error' }
  /v1/ledger/accounts/{account}/entries:
    get:
      operationId: accountEntries
      summary: "An account's history, newest first (query: before, limit)."
      parameters:
        - { name: account, in: path, required: true, schema: { type: string } }
      responses:
        '200': { description: OK, content: { application/json: { schema: { $ref: '#/components/schemas/History' } } } }
        '404': { $ref: '#/components/responses/Error' }
  /v1/ledger/entries:
    get:
      operationId: entries
      summary: "A page of the journal, ascending (query: from, limit)."
      responses:
        '200': { description: OK, content: { application/json: { schema: { $ref: '#/components/schemas/Entries' } } } }
  /v1/ledger/channels/{id}:
    get:
      operationId: ledgerChannel
      summary: "A channel's state on the ledger."
      parameters:
        - { name: id, in: path, required: true, schema: { type: string } }
      responses:
        '200': { description: OK, content: { application/json: { schema: { $ref: '#/components/schemas/Object' } } } }
        '404': { $ref: '#/components/responses/Error' }
  /v1/ledger/listings/{model}:
    get:
      operationId: ledgerListing
      summary: "A model's registered listing (query: sequence; newest by default)."
      parameters:
        - { name: model, in: path, required: true, schema: { type: string } }
      responses:
        '200': { description: OK, content: { application/json: { schema: { $ref: '#/components/schemas/SignedMessage' } } } }
        '404': { $ref: '#/components/responses/Error' }
  /v1/ledger/checkpoints/latest:
    get:
      operationId: latestCheckpoint
      summary: "The newest operator-signed checkpoint."
      responses:
        '200': { description: OK, content: { application/json: { schema: { $ref: '#/components/schemas/SignedMessage' } } } }
  /v1/ledger/proofs/{entry}:
    get:
      operationId: proof
      summary: "The inclusion proof of an entry under the checkpoint covering it."
      parameters:
        - { name: entry, in: path, required: true, schema: { type: string } }
      responses:
        '200': { description: OK, content: { application/json: { schema: { $ref: '#/components/schemas/Object' } } } }
        '404': { $ref: '#/components/responses/Error' }
  /v1/ledger/transfers:
    post:
      operationId: transfer
      summary: "Apply a signed transfer."
      requestBody:
        required: true
        content: { application/json: { schema: { $ref: '#/components/schemas/SignedMessage' } } }
      responses:
        '201': { description: OK, content: { application/json: { schema: { $ref: '#/components/schemas/AppliedEntry' } } } }
        '400': { $ref: '#/components/responses/Error' }
        '409': { $ref: '#/components/responses/Error' }
        '413': { $ref: '#/components/responses/Error' }
  /v1/ledger/channels:
    post:
      operationId: openChannel
      summary: "Escrow a channel's deposit (signed channel-open)."
      requestBody:
        required: true
        content: { application/json: { schema: { $ref: '#/components/schemas/SignedMessage' } } }
      responses:
        '201': { description: OK, content: { application/json: { schema: { $ref: '#/components/schemas/AppliedEntry' } } } }
        '400': { $ref: '#/components/responses/Error' }
        '409': { $ref: '#/components/responses/Error' }
        '413': { $ref: '#/components/responses/Error' }
  /v1/ledger/channels/{id}/top-up:
    post:
      operationId: topUp
      summary: "Add to a channel's escrow (signed channel-top-up)."
      parameters:
        - { name: id, in: path, required: true, schema: { type: string } }
      requestBody:
        required: true
        content: { application/json: { schema: { $ref: '#/components/schemas/SignedMessage' } } }
      responses:
        '201': { description: OK, content: { application/json: { schema: { $ref: '#/components/schemas/AppliedEntry' } } } }
        '400': { $ref: '#/components/responses/Error' }
        '404': { $ref: '#/components/responses/Error' }
        '409': { $ref: '#/components/responses/Error' }
        '413': { $ref: '#/components/responses/Error' }
  /v1/ledger/channels/{id}/claim:
    post:
      operationId: claim
      summary: "A payee's claim: settles an open channel, or disputes a closing one with a newer voucher."
      parameters:
        - { name: id, in: path, required: true, schema: { type: string } }
      requestBody:
        required: true
        content: { application/json: { schema: { $ref: '#/components/schemas/Claim' } } }
      responses:
        '201': { description: OK, content: { application/json: { schema: { $ref: '#/components/schemas/AppliedEntry' } } } }
        '400': { $ref: '#/components/responses/Error' }
        '404': { $ref: '#/components/responses/Error' }
        '409': { $ref: '#/components/responses/Error' }
        '413': { $ref: '#/components/responses/Error' }
  /v1/ledger/channels/{id}/close:
    post:
      operationId: close
      summary: "Start a unilateral close, or reclaim an expired channel (signed channel-close)."
      parameters:
        - { name: id, in: path, required: true, schema: { type: string } }
      requestBody:
        required: true
        content: { application/json: { schema: { $ref: '#/components/schemas/SignedMessage' } } }
      responses:
        '201': { description: OK, content: { application/json: { schema: { $ref: '#/components/schemas/AppliedEntry' } } } }
        '400': { $ref: '#/components/responses/Error' }
        '404': { $ref: '#/components/responses/Error' }
        '409': { $ref: '#/components/responses/Error' }
        '413': { $ref: '#/components/responses/Error' }
  /v1/ledger/channels/{id}/finalize:
    post:
      operationId: finalize
      summary: "Settle a closing channel after its challenge window."
      parameters:
        - { name: id, in: path, required: true, schema: { type: string } }
      responses:
        '201': { description: OK, content: { application/json: { schema: { $ref: '#/components/schemas/AppliedEntry' } } } }
        '400': { $ref: '#/components/responses/Error' }
        '404': { $ref: '#/components/responses/Error' }
        '409': { $ref: '#/components/responses/Error' }
        '413': { $ref: '#/components/responses/Error' }
  /v1/ledger/listings:
    post:
      operationId: registerListing
      summary: "Register or re-list a model (signed listing)."
      requestBody:
        required: true
        content: { application/json: { schema: { $ref: '#/components/schemas/SignedMessage' } } }
      responses:
        '201': { description: OK, content: { application/json: { schema: { $ref: '#/components/schemas/AppliedEntry' } } } }
        '400': { $ref: '#/components/responses/Error' }
        '409': { $ref: '#/components/responses/Error' }
        '413': { $ref: '#/components/responses/Error' }
  /v1/ledger/datanet-messages:
    post:
      operationId: registerDatanet
      summary: "Register datanet messages in ledger order (base64 wire bytes)."
      requestBody:
        required: true
        content: { application/json: { schema: { $ref: '#/components/schemas/DatanetMessages' } } }
      responses:
        '200': { description: OK, content: { application/json: { schema: { $ref: '#/components/schemas/Registered' } } } }
        '400': { $ref: '#/components/responses/Error' }
        '409': { $ref: '#/components/responses/Error' }
        '413': { $ref: '#/components/responses/Error' }
  /v1/admin/faucet:
    post:
      operationId: faucet
      summary: "Admin (operator-signed X-Remit-Admin): credits from the treasury."
      parameters:
        - { name: X-Remit-Admin, in: header, required: true, schema: { type: string }, description: "t=<unix seconds>,sig=<hex>: the operator's signature (PROTOCOL 12.7)" }
      requestBody:
        required: true
        content: { application/json: { schema: { $ref: '#/components/schemas/Faucet' } } }
      responses:
        '201': { description: OK, content: { application/json: { schema: { $ref: '#/components/schemas/AppliedEntry' } } } }
        '400': { $ref: '#/components/responses/Error' }
        '401': { $ref: '#/components/responses/Error' }
        '409': { $ref: '#/components/responses/Error' }
        '413': { $ref: '#/components/responses/Error' }
  /v1/admin/checkpoint:
    post:
      operationId: checkpoint
      summary: "Admin (operator-signed X-Remit-Admin): sign a checkpoint over the newest entries."
      parameters:
        - { name: X-Remit-Admin, in: header, required: true, schema: { type: string }, description: "t=<unix seconds>,sig=<hex>: the operator's signature (PROTOCOL 12.7)" }
      responses:
        '201': { description: OK, content: { application/json: { schema: { $ref: '#/components/schemas/SignedMessage' } } } }
        '400': { $ref: '#/components/responses/Error' }
        '401': { $ref: '#/components/responses/Error' }
        '409': { $ref: '#/components/responses/Error' }
        '413': { $ref: '#/components/responses/Error' }
components:
  responses:
    Error:
      description: A refusal with its stable code
      content: { application/json: { schema: { $ref: '#/components/schemas/Error' } } }
  schemas:
    Error:
      type: object
      required: [error]
      properties:
        error:
          type: object
          required: [code, message]
          properties:
            code: { type: string, examples: [channel.sequence_not_above] }
            message: { type: string }
    Amount: { type: string, description: base units as a decimal string (1 credit = 10^9 units), pattern: "^[0-9]+$" }
    Hex: { type: string, pattern: "^[0-9a-f]+$" }
    SignedMessage:
      type: object
      description: A signed message in the JSON wire form of PROTOCOL section 5
      required: [type, version, message, signer, signature]
      properties:
        type: { type: string }
        version: { type: integer }
        message: { type: object }
        signer: { $ref: '#/components/schemas/Hex' }
        signature: { $ref: '#/components/schemas/Hex' }
    Object: { type: object }
    Query:
      type: object
      required: [request]
      properties:
        request: { type: object, description: "a model request (PROTOCOL 10.5): {type: generate|question|features|trace, ...}" }
    Answer:
      type: object
      required: [answer]
      properties:
        answer: { type: object, description: output, outputTokens, coverageBps, attribution, explanation }
    StreamQuery:
      type: object
      required: [requests, ticks]
      properties:
        requests: { type: array, items: { type: object }, description: "model requests (PROTOCOL 10.5), in order" }
        ticks: { type: array, items: { type: string, contentEncoding: base64 }, description: "base64 of each tick's canonical bytes, one per request" }
    StreamResult:
      type: object
      required: [answers, batch, receipts]
      properties:
        answers: { type: array, items: { type: object }, description: "one answer per served request, in order" }
        batch: { type: string, contentEncoding: base64, description: "base64 of the Signed<ReceiptBatch> wire bytes" }
        receipts: { type: array, items: { type: string, contentEncoding: base64 }, description: "base64 of each receipt's canonical bytes" }
        refusal: { type: string, description: "the refusal code that stopped the run early, if any" }
    PaymentRequirement:
      type: object
      required: [error, protocol, accepts, paymentHeader, quote, ledger, model, payee, payeeKey, requestDigest, channel]
      properties:
        error: { $ref: '#/components/schemas/Error/properties/error' }
        protocol: { type: string, const: remit/1 }
        accepts: { type: array, items: { type: string, enum: [voucher, tick] } }
        paymentHeader: { type: string, const: X-Remit-Payment }
        quote: { $ref: '#/components/schemas/Amount' }
        pricePerQuery: { $ref: '#/components/schemas/Amount' }
        pricePerOutputToken: { $ref: '#/components/schemas/Amount' }
        tokenBound: { type: integer }
        ledger: { $ref: '#/components/schemas/Hex' }
        model: { $ref: '#/components/schemas/Hex' }
        modelName: { type: string }
        listingSequence: { type: integer }
        payee: { type: string, description: account id rm1... }
        payeeKey: { $ref: '#/components/schemas/Hex' }
        requestDigest: { $ref: '#/components/schemas/Hex' }
        channel:
          type: object
          properties:
            open: { type: string }
            register: { type: string }
            minimumDeposit: { $ref: '#/components/schemas/Amount' }
            challengePeriod: { type: integer }
            tickUnit: { $ref: '#/components/schemas/Amount' }
    ModelCard:
      type: object
      properties:
        id: { $ref: '#/components/schemas/Hex' }
        name: { type: string }
        kind: { type: string }
        owner: { type: string }
        pricing:
          type: object
          properties:
            perQuery: { $ref: '#/components/schemas/Amount' }
            perOutputToken: { $ref: '#/components/schemas/Amount' }
            maxOutputTokens: { type: integer }
            split: { type: object }
        datanets: { type: array, items: { type: object } }
        attributionMethod: { type: string }
        tags: { type: array, items: { type: string } }
        modelVersion: { $ref: '#/components/schemas/Hex' }
        listingSequence: { type: integer }
        validUntil: { type: integer }
        queryPath: { type: string }
        observed:
          type: object
          properties:
            answered: { type: integer }
            failed: { type: integer }
            meanLatencyMs: { type: number }
            uptime: { type: number }
            upSeconds: { type: integer }
        listing: { $ref: '#/components/schemas/SignedMessage' }
    ModelCards: { type: array, items: { $ref: '#/components/schemas/ModelCard' } }
    ChannelView:
      type: object
      properties:
        channel: { $ref: '#/components/schemas/Hex' }
        phase: { type: string }
        deposit: { $ref: '#/components/schemas/Amount' }
        charged: { $ref: '#/components/schemas/Amount' }
        served: { type: integer }
    Health:
      type: object
      properties: { status: { type: string, enum: [ok, draining] }, ledger: { $ref: '#/components/schemas/Hex' }, models: { type: integer } }
    LedgerInfo:
      type: object
      properties:
        ledger: { $ref: '#/components/schemas/Hex' }
        operator: { type: string }
        operatorKey: { $ref: '#/components/schemas/Hex' }
        supply: { $ref: '#/components/schemas/Amount' }
        time: { type: integer }
        head: { type: object }
    AccountInfo:
      type: object
      properties: { account: { type: string }, balance: { $ref: '#/components/schemas/Amount' }, nonce: { type: integer } }
    History:
      type: object
      properties: { account: { type: string }, items: { type: array, items: { type: object } }, next: { type: integer } }
    Entries:
      type: object
      properties: { entries: { type: array, items: { type: object } }, next: { type: integer } }
    AppliedEntry:
      type: object
      properties: { sequence: { type: integer }, hash: { $ref: '#/components/schemas/Hex' }, kind: { type: string }, timestamp: { type: integer } }
    Claim:
      type: object
      required: [claim, receipts]
      properties:
        claim: { $ref: '#/components/schemas/SignedMessage' }
        voucher: { $ref: '#/components/schemas/SignedMessage' }
        receipts: { type: array, items: { type: object } }
    DatanetMessages:
      type: object
      properties: { messages: { type: array, items: { type: string, contentEncoding: base64 } } }
    Registered:
      type: object
      properties: { applied: { type: integer } }
    Faucet:
      type: object
      required: [account, credits]
      properties: { account: { type: string }, credits: { type: string, examples: ["5"] } }
"""#
}
