// The OpenAPI 3.1 description of every route, field, status code and error body of the HTTP API
// (../shared/API.md) and of ocrchat's extras, served at `/api/v1/openapi.json` and rendered at
// `/api/docs`. Written by hand as Swift source: change it with the routes it describes. The live
// tests validate it (openapi-spec-validator) and check the server against it (schemathesis).
extension WebAssets {
    /// The OpenAPI document, JSON.
    static let openAPIJSON = #"""
{
  "openapi": "3.1.0",
  "info": {
    "title": "ocrchat HTTP API",
    "version": "1.0.0",
    "summary": "The ocr.chat REST API, served offline by `ocrchat serve`.",
    "description": "The same routes, fields and status codes as the public ocr.chat API, so an existing client works by changing only its base URL. Every path ends in `/`; the path without it is accepted too. Routes marked *extra* are ocrchat's own additions (the web page uses them). Every error is JSON: `{\"error\": \"…\"}`, and a 402 adds `used` and `cap`.",
    "license": {
      "name": "See the project's README"
    }
  },
  "servers": [
    {
      "url": "/",
      "description": "this server"
    }
  ],
  "tags": [
    {
      "name": "ocr",
      "description": "Upload a file, poll the job, download the result."
    },
    {
      "name": "chat",
      "description": "Questions about a finished job, answered from its text with page citations."
    },
    {
      "name": "account",
      "description": "Extra: the caller's account, plan and usage."
    },
    {
      "name": "service",
      "description": "Health, this document and the web pages."
    }
  ],
  "security": [
    {},
    {
      "bearerAuth": []
    },
    {
      "apiTokenQuery": []
    }
  ],
  "paths": {
    "/api/v1/ocr/": {
      "post": {
        "tags": [
          "ocr"
        ],
        "operationId": "createJob",
        "summary": "Upload a file: creates a job and returns it",
        "description": "A file of at most 5 pages (configurable) is recognised within the request: the answer already has `status: done` and the text. A larger file returns at once with `pending` (or `processing`); poll `GET /api/v1/ocr/{uuid}/` until `done` or `failed`. The type is recognised by the file's bytes, not its name. Every processed page costs credits (1 a page on `cpu`, more on `vlm`).",
        "parameters": [
          {
            "name": "Idempotency-Key",
            "in": "header",
            "required": false,
            "description": "Extra: a key of the caller's choosing (1 to 255 visible ASCII characters). An upload with a key the same caller used before makes no new job and costs nothing: the answer is that earlier job as it stands, with the header `Idempotent-Replayed: true`. Use it to retry an upload whose answer was lost.",
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255,
              "pattern": "^[\\x21-\\x7E]+$"
            }
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "multipart/form-data": {
              "schema": {
                "$ref": "#/components/schemas/UploadForm"
              },
              "encoding": {
                "file": {
                  "contentType": "application/octet-stream"
                }
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The job: done for a small file, pending or processing for a larger one.",
            "headers": {
              "Idempotent-Replayed": {
                "description": "`true` when the answer is the job an earlier upload with the same `Idempotency-Key` made.",
                "schema": {
                  "type": "string",
                  "enum": [
                    "true"
                  ]
                }
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Job"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "402": {
            "$ref": "#/components/responses/PaymentRequired"
          },
          "408": {
            "$ref": "#/components/responses/UploadTooSlow"
          },
          "500": {
            "$ref": "#/components/responses/ServerError"
          },
          "503": {
            "$ref": "#/components/responses/QueueFull"
          }
        }
      },
      "get": {
        "tags": [
          "ocr"
        ],
        "operationId": "listJobs",
        "summary": "Extra: the caller's recent jobs, newest first",
        "description": "Only an account's own jobs, without their text. Anonymous callers get 401: an IP address is shared, so anonymous jobs belong to no one that can be named.",
        "parameters": [
          {
            "name": "limit",
            "in": "query",
            "required": false,
            "description": "How many jobs, 1 to 500 (default 50).",
            "schema": {
              "type": "integer",
              "minimum": 1,
              "maximum": 500,
              "default": 50
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The jobs.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/JobList"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          }
        }
      }
    },
    "/api/v1/ocr/{uuid}/": {
      "parameters": [
        {
          "$ref": "#/components/parameters/JobUUID"
        }
      ],
      "get": {
        "tags": [
          "ocr"
        ],
        "operationId": "getJob",
        "summary": "The job, for polling",
        "description": "`text`, `markdown` and `pages` are empty until the job is done. A job made with a token belongs to that account: for anyone else it does not exist (404).",
        "responses": {
          "200": {
            "description": "The job as it stands.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Job"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "410": {
            "$ref": "#/components/responses/Gone"
          }
        }
      }
    },
    "/api/v1/ocr/{uuid}/download/": {
      "parameters": [
        {
          "$ref": "#/components/parameters/JobUUID"
        }
      ],
      "get": {
        "tags": [
          "ocr"
        ],
        "operationId": "downloadJob",
        "summary": "The result as a file",
        "description": "The response carries the format's `Content-Type` and a `Content-Disposition` file name. `pdf` is a searchable PDF (the page images with an invisible text layer); `docx` opens in Word and LibreOffice; `csv` holds the tables found, or one row per block; `json` is the job object; `hocr` and `alto` carry boxes and confidences down to the word.",
        "parameters": [
          {
            "name": "format",
            "in": "query",
            "required": true,
            "description": "The export format.",
            "schema": {
              "$ref": "#/components/schemas/ExportFormat"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The file.",
            "headers": {
              "Content-Disposition": {
                "description": "`attachment; filename=\"NAME.EXT\"`",
                "schema": {
                  "type": "string"
                }
              }
            },
            "content": {
              "text/plain": {
                "schema": {
                  "type": "string"
                }
              },
              "text/markdown": {
                "schema": {
                  "type": "string"
                }
              },
              "text/csv": {
                "schema": {
                  "type": "string"
                }
              },
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Job"
                }
              },
              "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {
                "schema": {
                  "type": "string",
                  "contentMediaType": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                }
              },
              "application/pdf": {
                "schema": {
                  "type": "string",
                  "contentMediaType": "application/pdf"
                }
              },
              "text/html": {
                "schema": {
                  "type": "string",
                  "description": "hOCR 1.2"
                }
              },
              "application/xml": {
                "schema": {
                  "type": "string",
                  "description": "ALTO v4"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "409": {
            "$ref": "#/components/responses/NotDone"
          },
          "410": {
            "$ref": "#/components/responses/Gone"
          }
        }
      }
    },
    "/api/v1/ocr/{uuid}/pages/{index}/image/": {
      "parameters": [
        {
          "$ref": "#/components/parameters/JobUUID"
        },
        {
          "name": "index",
          "in": "path",
          "required": true,
          "description": "0-based page index, as `pages[].index`.",
          "schema": {
            "type": "integer",
            "minimum": 0
          }
        }
      ],
      "get": {
        "tags": [
          "ocr"
        ],
        "operationId": "getPageImage",
        "summary": "Extra: a picture of one page, upright as it was recognised",
        "description": "A JPEG at most 1400 pixels on its longest side, made when the job finished and purged with its results. A word's `bbox` maps onto it by multiplying with the picture's width over the page's `width`.",
        "responses": {
          "200": {
            "description": "The page.",
            "content": {
              "image/jpeg": {
                "schema": {
                  "type": "string",
                  "contentMediaType": "image/jpeg"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "409": {
            "$ref": "#/components/responses/NotDone"
          },
          "410": {
            "$ref": "#/components/responses/Gone"
          }
        }
      }
    },
    "/api/v1/chat/{uuid}/": {
      "parameters": [
        {
          "$ref": "#/components/parameters/JobUUID"
        }
      ],
      "post": {
        "tags": [
          "chat"
        ],
        "operationId": "askQuestion",
        "summary": "A question about a finished job",
        "description": "Answered from the job's extracted text alone, citing the pages used (1-based). When the text holds no answer, the assistant says so. Needs an account token: an anonymous call gets 401. Send `conversation` to go on with one.",
        "security": [
          {
            "bearerAuth": []
          },
          {
            "apiTokenQuery": []
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/ChatQuestion"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The answer.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ChatAnswer"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "402": {
            "$ref": "#/components/responses/PaymentRequired"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "409": {
            "$ref": "#/components/responses/NotDone"
          },
          "501": {
            "description": "This server has no question answering (yet).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      }
    },
    "/api/v1/chat/{uuid}/history/": {
      "parameters": [
        {
          "$ref": "#/components/parameters/JobUUID"
        }
      ],
      "get": {
        "tags": [
          "chat"
        ],
        "operationId": "chatHistory",
        "summary": "The conversation(s) held on a job, oldest first",
        "security": [
          {
            "bearerAuth": []
          },
          {
            "apiTokenQuery": []
          }
        ],
        "responses": {
          "200": {
            "description": "The messages.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ChatHistory"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "409": {
            "$ref": "#/components/responses/NotDone"
          }
        }
      }
    },
    "/api/v1/account/": {
      "get": {
        "tags": [
          "account"
        ],
        "operationId": "getAccount",
        "summary": "Extra: the caller's account, plan, credits and allowance",
        "security": [
          {
            "bearerAuth": []
          },
          {
            "apiTokenQuery": []
          }
        ],
        "responses": {
          "200": {
            "description": "The account.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Account"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          }
        }
      }
    },
    "/api/v1/local-token/": {
      "get": {
        "tags": [
          "account"
        ],
        "operationId": "getLocalToken",
        "summary": "Extra: the local account's token, in single-user mode only",
        "description": "Exists only when the server runs with `--single-user` (which it allows on loopback only), and answers only a loopback peer that named a loopback host; otherwise 404.",
        "responses": {
          "200": {
            "description": "The token.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/LocalToken"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          }
        }
      }
    },
    "/api/v1/openapi.json": {
      "get": {
        "tags": [
          "service"
        ],
        "operationId": "getOpenAPI",
        "summary": "This document",
        "responses": {
          "200": {
            "description": "OpenAPI 3.1.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          }
        }
      }
    },
    "/api/v1/languages/": {
      "get": {
        "tags": [
          "service"
        ],
        "operationId": "listLanguages",
        "summary": "Extra: the languages this server has installed",
        "description": "`auto` first, then every installed language model and script model, each with the shortest code that names it (what to send as `language`). A language not listed here is a 400 when asked for.",
        "responses": {
          "200": {
            "description": "The installed languages.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Languages"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          }
        }
      }
    },
    "/healthz": {
      "get": {
        "tags": [
          "service"
        ],
        "operationId": "health",
        "summary": "For monitoring",
        "responses": {
          "200": {
            "description": "Up.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Health"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          }
        }
      }
    },
    "/": {
      "get": {
        "tags": [
          "service"
        ],
        "operationId": "webPage",
        "summary": "The web page: upload, watch, read, download, ask",
        "responses": {
          "200": {
            "$ref": "#/components/responses/HTMLPage"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          }
        }
      }
    },
    "/account": {
      "get": {
        "tags": [
          "service"
        ],
        "operationId": "accountPage",
        "summary": "The account web page: sign in, the token, plan and usage",
        "responses": {
          "200": {
            "$ref": "#/components/responses/HTMLPage"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          }
        }
      }
    },
    "/api/docs": {
      "get": {
        "tags": [
          "service"
        ],
        "operationId": "apiDocsPage",
        "summary": "This document, rendered for people",
        "responses": {
          "200": {
            "$ref": "#/components/responses/HTMLPage"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          }
        }
      }
    },
    "/static/{name}": {
      "get": {
        "tags": [
          "service"
        ],
        "operationId": "staticAsset",
        "summary": "The web page's scripts and style, built into the server",
        "parameters": [
          {
            "name": "name",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            },
            "description": "`app.css`, `common.js`, `markdown.js`, `app.js`, `account.js` or `docs.js`."
          }
        ],
        "responses": {
          "200": {
            "description": "The file.",
            "content": {
              "text/javascript": {
                "schema": {
                  "type": "string"
                }
              },
              "text/css": {
                "schema": {
                  "type": "string"
                }
              }
            }
          },
          "304": {
            "description": "Not modified since the `ETag` sent in `If-None-Match`."
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          }
        }
      }
    }
  },
  "components": {
    "securitySchemes": {
      "bearerAuth": {
        "type": "http",
        "scheme": "bearer",
        "description": "`Authorization: Bearer TOKEN`; tokens come from `ocrchat token create`. A token that is present but unknown or revoked gets 401; no token at all is an anonymous caller."
      },
      "apiTokenQuery": {
        "type": "apiKey",
        "in": "query",
        "name": "api_token",
        "description": "The token in the query, as the public API accepts it (prefer the header: URLs end up in logs)."
      }
    },
    "parameters": {
      "JobUUID": {
        "name": "uuid",
        "in": "path",
        "required": true,
        "description": "The job's id.",
        "schema": {
          "type": "string",
          "format": "uuid"
        }
      }
    },
    "responses": {
      "BadRequest": {
        "description": "No file, an unsupported or unreadable type, a file too large, a bad field value.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Error"
            }
          }
        }
      },
      "Unauthorized": {
        "description": "A missing token where one is required, or an unknown or revoked token.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Error"
            }
          }
        }
      },
      "PaymentRequired": {
        "description": "Out of pages: the allowance is reached, the credits are spent, or the file is over the per-file page cap.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/QuotaError"
            }
          }
        }
      },
      "NotFound": {
        "description": "Unknown job (also a job that belongs to another account), page or route.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Error"
            }
          }
        }
      },
      "NotDone": {
        "description": "The job is not done yet, or it failed.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Error"
            }
          }
        }
      },
      "Gone": {
        "description": "The job's results are no longer kept (retention).",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Error"
            }
          }
        }
      },
      "ServerError": {
        "description": "The recognition itself failed (a timeout, an engine failure); never a stack trace.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Error"
            }
          }
        }
      },
      "UploadTooSlow": {
        "description": "The body did not arrive within `max_upload_seconds`, or arrived below `min_upload_kib_per_second` after the grace period; the connection is closed.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Error"
            }
          }
        }
      },
      "QueueFull": {
        "description": "Too many jobs are waiting, too many uploads at once, or too many from this address or account; come back after `Retry-After` seconds.",
        "headers": {
          "Retry-After": {
            "schema": {
              "type": "integer"
            }
          }
        },
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Error"
            }
          }
        }
      },
      "HTMLPage": {
        "description": "The page.",
        "content": {
          "text/html": {
            "schema": {
              "type": "string"
            }
          }
        }
      }
    },
    "schemas": {
      "Error": {
        "type": "object",
        "required": [
          "error"
        ],
        "properties": {
          "error": {
            "type": "string",
            "description": "A short message a person can act on."
          }
        }
      },
      "QuotaError": {
        "type": "object",
        "required": [
          "error",
          "used",
          "cap"
        ],
        "properties": {
          "error": {
            "type": "string"
          },
          "used": {
            "type": "integer",
            "description": "Pages (or credits) used so far, or the file's pages when it is over the per-file cap."
          },
          "cap": {
            "type": "integer",
            "description": "The allowance, balance or per-file cap."
          }
        }
      },
      "UploadForm": {
        "type": "object",
        "required": [
          "file"
        ],
        "properties": {
          "file": {
            "type": "string",
            "contentMediaType": "application/octet-stream",
            "description": "PNG, JPEG, WEBP, GIF, BMP, TIFF (every page) or PDF (every page)."
          },
          "tier": {
            "type": "string",
            "enum": [
              "cpu",
              "vlm"
            ],
            "default": "cpu",
            "description": "`cpu`: fast, printed text. `vlm`: the premium tier (on this server the cpu profile runs and the job's `engine` says so)."
          },
          "language": {
            "type": "string",
            "default": "auto",
            "description": "`auto` (detect), a short code as the public service takes them (`en`, `de`, `fr`, `ru`, `ar`, `ja`, `ch` = simplified Chinese, …) or Tesseract names (`eng`, `chi_sim`, `eng+deu`). A language whose model is not installed is a 400."
          },
          "tool": {
            "type": "string",
            "enum": [
              "extract-tables",
              "handwriting-to-text",
              "translate",
              "extract-text",
              "ocr"
            ],
            "description": "Optional preset."
          },
          "translate_to": {
            "type": "string",
            "description": "With `tool=translate`: the target language code (required then)."
          },
          "password": {
            "type": "string",
            "description": "Extra: the password of an encrypted PDF."
          }
        }
      },
      "Status": {
        "type": "string",
        "enum": [
          "pending",
          "processing",
          "done",
          "failed"
        ]
      },
      "ExportFormat": {
        "type": "string",
        "enum": [
          "txt",
          "md",
          "json",
          "csv",
          "docx",
          "hocr",
          "alto",
          "pdf"
        ]
      },
      "BBox": {
        "type": "array",
        "items": {
          "type": "integer"
        },
        "minItems": 4,
        "maxItems": 4,
        "description": "[x0, y0, x1, y1] in pixels of the page image that was recognised, origin top left."
      },
      "Confidence": {
        "type": "number",
        "minimum": 0,
        "maximum": 1
      },
      "Word": {
        "type": "object",
        "required": [
          "text",
          "bbox",
          "confidence"
        ],
        "properties": {
          "text": {
            "type": "string"
          },
          "bbox": {
            "$ref": "#/components/schemas/BBox"
          },
          "confidence": {
            "$ref": "#/components/schemas/Confidence"
          }
        }
      },
      "Line": {
        "type": "object",
        "required": [
          "text",
          "bbox",
          "confidence",
          "words"
        ],
        "properties": {
          "text": {
            "type": "string"
          },
          "bbox": {
            "$ref": "#/components/schemas/BBox"
          },
          "confidence": {
            "$ref": "#/components/schemas/Confidence"
          },
          "words": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Word"
            }
          }
        }
      },
      "Block": {
        "type": "object",
        "required": [
          "text",
          "bbox",
          "confidence",
          "lines"
        ],
        "properties": {
          "text": {
            "type": "string"
          },
          "bbox": {
            "$ref": "#/components/schemas/BBox"
          },
          "confidence": {
            "$ref": "#/components/schemas/Confidence"
          },
          "lines": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Line"
            }
          }
        }
      },
      "Page": {
        "type": "object",
        "required": [
          "index",
          "width",
          "height",
          "dpi",
          "rotation",
          "source",
          "language",
          "mean_confidence",
          "text",
          "blocks"
        ],
        "properties": {
          "index": {
            "type": "integer",
            "minimum": 0,
            "description": "0-based; page numbers people read (chat citations) are 1-based."
          },
          "width": {
            "type": "integer",
            "description": "Width of the recognised page image in pixels (after rotation)."
          },
          "height": {
            "type": "integer",
            "description": "Height in pixels (after rotation)."
          },
          "dpi": {
            "type": "integer",
            "description": "Resolution of the page image; for a PDF page the one it was rendered or measured at."
          },
          "rotation": {
            "type": "integer",
            "enum": [
              0,
              90,
              180,
              270
            ],
            "description": "Clockwise degrees applied to turn the page upright."
          },
          "source": {
            "type": "string",
            "enum": [
              "ocr",
              "text-layer"
            ],
            "description": "OCR, or the PDF's own text layer (a born-digital page)."
          },
          "language": {
            "type": "string",
            "description": "Tesseract language(s) used; empty for a text-layer page."
          },
          "mean_confidence": {
            "$ref": "#/components/schemas/Confidence"
          },
          "text": {
            "type": "string"
          },
          "blocks": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Block"
            }
          }
        }
      },
      "Job": {
        "type": "object",
        "required": [
          "uuid",
          "status",
          "tier",
          "language",
          "file_name",
          "page_count",
          "pages_done",
          "text",
          "markdown",
          "pages",
          "created_at"
        ],
        "properties": {
          "uuid": {
            "type": "string",
            "format": "uuid"
          },
          "status": {
            "$ref": "#/components/schemas/Status"
          },
          "tier": {
            "type": "string",
            "enum": [
              "cpu",
              "vlm"
            ]
          },
          "language": {
            "type": "string",
            "description": "The language the caller asked for (auto by default)."
          },
          "detected_languages": {
            "type": "array",
            "items": {
              "type": "string"
            },
            "description": "Extra: the languages found (BCP 47 tags, the most text first); each page's language says the models it was read with. Empty until done."
          },
          "tool": {
            "type": "string"
          },
          "translate_to": {
            "type": "string"
          },
          "file_name": {
            "type": "string",
            "description": "Extra: the uploaded file's base name."
          },
          "page_count": {
            "type": "integer",
            "minimum": 0
          },
          "pages_done": {
            "type": "integer",
            "minimum": 0,
            "description": "Extra: pages recognised so far, for progress."
          },
          "mean_confidence": {
            "$ref": "#/components/schemas/Confidence"
          },
          "text": {
            "type": "string",
            "description": "Empty until done."
          },
          "markdown": {
            "type": "string",
            "description": "Empty until done."
          },
          "pages": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Page"
            },
            "description": "Empty until done."
          },
          "engine": {
            "type": "string",
            "description": "Extra: the engine profile that actually ran."
          },
          "error": {
            "type": "string",
            "description": "Why a failed job failed."
          },
          "created_at": {
            "type": "string",
            "format": "date-time"
          },
          "finished_at": {
            "type": "string",
            "format": "date-time"
          }
        }
      },
      "JobSummary": {
        "type": "object",
        "required": [
          "uuid",
          "status",
          "tier",
          "language",
          "file_name",
          "page_count",
          "pages_done",
          "created_at"
        ],
        "properties": {
          "uuid": {
            "type": "string",
            "format": "uuid"
          },
          "status": {
            "$ref": "#/components/schemas/Status"
          },
          "tier": {
            "type": "string"
          },
          "language": {
            "type": "string"
          },
          "tool": {
            "type": "string"
          },
          "file_name": {
            "type": "string"
          },
          "page_count": {
            "type": "integer",
            "minimum": 0
          },
          "pages_done": {
            "type": "integer",
            "minimum": 0
          },
          "error": {
            "type": "string"
          },
          "created_at": {
            "type": "string",
            "format": "date-time"
          },
          "finished_at": {
            "type": "string",
            "format": "date-time"
          }
        }
      },
      "JobList": {
        "type": "object",
        "required": [
          "jobs"
        ],
        "properties": {
          "jobs": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/JobSummary"
            }
          }
        }
      },
      "ChatQuestion": {
        "type": "object",
        "required": [
          "message"
        ],
        "properties": {
          "message": {
            "type": "string",
            "minLength": 1,
            "description": "The question."
          },
          "conversation": {
            "type": "string",
            "description": "Go on with this conversation."
          }
        }
      },
      "Citation": {
        "type": "object",
        "required": [
          "page"
        ],
        "properties": {
          "page": {
            "type": "integer",
            "minimum": 1,
            "description": "1-based page number."
          },
          "snippet": {
            "type": "string",
            "description": "The text the answer relied on."
          }
        }
      },
      "ChatMessage": {
        "type": "object",
        "required": [
          "role",
          "content"
        ],
        "properties": {
          "role": {
            "type": "string",
            "enum": [
              "user",
              "assistant"
            ]
          },
          "content": {
            "type": "string"
          },
          "citations": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Citation"
            }
          },
          "conversation": {
            "type": "string",
            "description": "Extra: the conversation the message belongs to (in the history)."
          },
          "created_at": {
            "type": "string",
            "format": "date-time",
            "description": "Extra: when the message was stored (in the history)."
          }
        }
      },
      "ChatAnswer": {
        "type": "object",
        "required": [
          "conversation",
          "message"
        ],
        "properties": {
          "conversation": {
            "type": "string"
          },
          "message": {
            "$ref": "#/components/schemas/ChatMessage"
          },
          "found": {
            "type": "boolean",
            "description": "Extra: whether the document held an answer (false: the message says it could not be found)."
          },
          "answered_by": {
            "type": "string",
            "enum": [
              "extractive",
              "model"
            ],
            "description": "Extra: quoted from the text, or written by the operator's local model from the cited passages."
          }
        }
      },
      "ChatHistory": {
        "type": "object",
        "required": [
          "messages"
        ],
        "properties": {
          "uuid": {
            "type": "string",
            "format": "uuid"
          },
          "conversations": {
            "type": "array",
            "items": {
              "type": "string"
            },
            "description": "Extra: the conversations held on the job, oldest first."
          },
          "messages": {
            "type": "array",
            "description": "Every message of the conversation(s), oldest first.",
            "items": {
              "$ref": "#/components/schemas/ChatMessage"
            }
          }
        }
      },
      "Account": {
        "type": "object",
        "required": [
          "name",
          "plan",
          "token_prefix",
          "created_at",
          "metering",
          "credits",
          "allowance",
          "file_page_cap",
          "page_cost",
          "single_user"
        ],
        "properties": {
          "name": {
            "type": "string"
          },
          "plan": {
            "type": "string",
            "enum": [
              "free",
              "paid"
            ]
          },
          "token_prefix": {
            "type": "string",
            "description": "The token's first characters (the token itself is stored only hashed)."
          },
          "created_at": {
            "type": "string",
            "format": "date-time"
          },
          "metering": {
            "type": "boolean",
            "description": "Whether this server meters pages at all."
          },
          "credits": {
            "type": "object",
            "required": [
              "total",
              "used",
              "left"
            ],
            "properties": {
              "total": {
                "type": "integer"
              },
              "used": {
                "type": "integer"
              },
              "left": {
                "type": "integer"
              }
            }
          },
          "allowance": {
            "type": [
              "object",
              "null"
            ],
            "required": [
              "period",
              "used",
              "cap",
              "left"
            ],
            "description": "The free plan's monthly page allowance; null for a paid account or with metering off.",
            "properties": {
              "period": {
                "type": "string"
              },
              "used": {
                "type": "integer"
              },
              "cap": {
                "type": "integer"
              },
              "left": {
                "type": "integer"
              }
            }
          },
          "file_page_cap": {
            "type": [
              "integer",
              "null"
            ],
            "description": "Most pages one file may have on this plan."
          },
          "page_cost": {
            "type": "object",
            "required": [
              "cpu",
              "vlm"
            ],
            "properties": {
              "cpu": {
                "type": "integer"
              },
              "vlm": {
                "type": "integer"
              }
            }
          },
          "single_user": {
            "type": "boolean",
            "description": "Whether this is the local account of single-user mode."
          }
        }
      },
      "LocalToken": {
        "type": "object",
        "required": [
          "token"
        ],
        "properties": {
          "token": {
            "type": "string"
          }
        }
      },
      "Languages": {
        "type": "object",
        "required": [
          "languages"
        ],
        "properties": {
          "languages": {
            "type": "array",
            "items": {
              "type": "object",
              "required": [
                "code",
                "model",
                "name"
              ],
              "properties": {
                "code": {
                  "type": "string",
                  "description": "What to send as `language` (`auto`, `fr`, `zh-tw`, `Latin`)."
                },
                "model": {
                  "type": "string",
                  "description": "Tesseract's name of the model (`fra`, `chi_tra`, `Latin`)."
                },
                "name": {
                  "type": "string",
                  "description": "The language's English name."
                }
              }
            }
          }
        }
      },
      "Health": {
        "type": "object",
        "required": [
          "status",
          "pending_jobs"
        ],
        "properties": {
          "status": {
            "type": "string"
          },
          "pending_jobs": {
            "type": "integer"
          }
        }
      }
    }
  }
}
"""#
}
