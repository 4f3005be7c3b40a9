//! edgestash-server: the Upstash REST protocol over redis-server or the embedded engine.
