import { Suspense } from "react";
import { SignInForm } from "./sign-in-form";

export const dynamic = "force-dynamic";
export const metadata = { title: "Sign in" };

export default function SignInPage() {
  return (
    <main className="signin card">
      <h1>Callback Service — sign in</h1>
      {/* the form reads ?callbackUrl, which needs a Suspense boundary */}
      <Suspense>
        <SignInForm />
      </Suspense>
    </main>
  );
}
