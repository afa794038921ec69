"""Tool calls: the registry of support tools (conf/tools/*.yaml), each model's own tool format, a SQLite store the
calls run against, and the training conversations that teach a model to call them.

    registry.py       load and check the registry; the tools in OpenAI's {"type": "function", ...} form; arguments
                      checked against their JSON schema
    formats.py        a conversation with a call and its result through the model's chat template (Llama 3.2's
                      JSON, Qwen3's <tool_call>, this project's format for templates without tools); the call
                      parsed back out of generated text
    store.py          the SQLite store of orders, invoices, refunds and addresses, and the handlers that run calls
    conversations.py  Bitext rows as tool conversations (data.format=tool_calls)
    metrics.py        tool-use scores of generated answers (right tool, valid JSON, arguments, asking)
"""
