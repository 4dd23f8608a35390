"""Step 0: "Hello HBNB!" on /airbnb-onepage/ (and on /, as the original v2 file)."""
from web_flask.factory import create_app, run
from web_flask.text_routes import hello, through

app = create_app(*through(hello))

if __name__ == "__main__":
    run(app)
