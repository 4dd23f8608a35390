"""Step 100: /hbnb, the whole HBNB page with its places."""
from web_flask.factory import create_app, run
from web_flask.storage_routes import hbnb_page

app = create_app(hbnb_page)

if __name__ == "__main__":
    run(app)
