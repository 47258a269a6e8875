// /widgets/callback-form.js: the bus, CallbackService and the Callback form, with one script tag.
import { install } from "./install";
import { mountForm } from "./form";

const widgets = install();
if (!widgets.bus.has("Callback.open")) mountForm(widgets);
