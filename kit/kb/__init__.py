"""The knowledge base: articles that let the desk fix a call from earlier knowledge.

SQLite holds the articles (`store`); the Whoosh index (`index`, `search`) only helps find
them and can always be rebuilt from the database.
"""
