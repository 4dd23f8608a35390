"""Step 5: adds /number_template/<int:n>, an HTML page with <H1>Number: n</H1>."""
from web_flask.factory import create_app, run
from web_flask.text_routes import number_template, through

app = create_app(*through(number_template))

if __name__ == "__main__":
    run(app)
